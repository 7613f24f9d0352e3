using System.ComponentModel.DataAnnotations;
using System.Globalization;
using FinSight.Web.Auth;
using FinSight.Web.Features.Accounts;
using FinSight.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.Account;

public sealed class SignInModel(AccountService accounts) : PageModel
{
    [BindProperty, Display(Name = "Email or username")]
    public string? Account { get; set; }

    [BindProperty, DataType(DataType.Password)]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(SafeReturnUrl) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Account))
        {
            ModelState.AddModelError(nameof(Account), "Enter your email or username.");
        }
        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), "Enter your password.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var account = Account!.Trim();
        var by = account.Contains('@', StringComparison.Ordinal) ? SignInName.Email : SignInName.Username;
        var check = await accounts.CheckCredentialsAsync(by, account, Password!, ClientAddress.Key(HttpContext), ct);
        if (check.RetryAfter is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ModelState.AddModelError("", $"Too many failed sign-in attempts. Try again in {seconds} seconds.");
            return Page();
        }
        if (check.User is not { } user)
        {
            // The API's wording: it never says whether the account exists.
            ModelState.AddModelError("", AccountService.BadCredentials);
            return Page();
        }
        await UiSignIn.SignInAsync(HttpContext, user);
        return LocalRedirect(SafeReturnUrl);
    }

    private string SafeReturnUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
}
