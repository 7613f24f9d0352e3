using FinSight.Web.Features.Accounts;
using FinSight.Web.Ui;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.Account;

/// <summary>
/// Sign-out is a POST (with the antiforgery token) so that a link on another site cannot sign anyone
/// out. It ends the session on the server too: a copy of the cookie stops working.
/// </summary>
public sealed class SignOutModel(AccountService accounts) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await accounts.EndSessionAsync(User, ct);
        await HttpContext.SignOutAsync(UiSetup.CookieScheme);
        return Redirect("/account/signin?signedout=1");
    }
}
