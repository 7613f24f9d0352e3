using System.ComponentModel.DataAnnotations;
using FinSight.Web.Auth;
using FinSight.Web.Features.Accounts;
using FinSight.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.Account;

public sealed class SignUpModel(AccountService accounts) : PageModel
{
    [BindProperty, Display(Name = "Your name")]
    public string? Name { get; set; }

    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty, DataType(DataType.Password), Display(Name = "Password (10 or more characters)")]
    public string? Password { get; set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Redirect("/") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // The API's rules, messages and uniqueness checks.
        var request = new SignupRequest(Name, Username, Email, Password);
        var errors = request.Validate();
        if (!errors.IsEmpty)
        {
            errors.AddTo(ModelState);
            return Page();
        }
        var (user, problem) = await accounts.SignUpAsync(request, ClientAddress.Key(HttpContext), ct);
        if (user is null)
        {
            if (problem!.Extensions.TryGetValue("retry_after", out var seconds))
            {
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = Convert.ToString(seconds, System.Globalization.CultureInfo.InvariantCulture);
            }
            problem.AddTo(ModelState);
            return Page();
        }
        await UiSignIn.SignInAsync(HttpContext, user, accounts, ct);
        return Redirect("/");
    }
}
