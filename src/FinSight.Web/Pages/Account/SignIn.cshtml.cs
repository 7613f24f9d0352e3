using System.ComponentModel.DataAnnotations;
using System.Globalization;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Accounts;
using FinSight.Web.Ui;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.Account;

/// <summary>
/// Sign-in: the password, then (for an account with two-factor sign-in) the code. Between the two
/// steps the page carries a protected, five-minute ticket naming the account and its security stamp,
/// never the password.
/// </summary>
public sealed class SignInModel(AccountService accounts, IDataProtectionProvider protection, TimeProvider clock) : PageModel
{
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);

    [BindProperty, Display(Name = "Email or username")]
    public string? Account { get; set; }

    [BindProperty, DataType(DataType.Password)]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The protected ticket of the second step; set once the password was right.</summary>
    [BindProperty]
    public string? Pending { get; set; }

    [BindProperty, Display(Name = "Authentication code")]
    public string? Code { get; set; }

    public bool AskForCode => Pending is not null;

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(SafeReturnUrl) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Pending is not null)
        {
            return await SecondStepAsync(ct);
        }
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
        var check = await accounts.CheckCredentialsAsync(by, account, Password!, code: null, ClientAddress.Key(HttpContext), ct);
        if (check.TwoFactorRequired)
        {
            Pending = Protector.Protect($"{check.Pending!.Id:N}|{check.Pending.SecurityStamp}", clock.GetUtcNow() + PendingLifetime);
            Password = null;
            ModelState.Clear();
            return Page();
        }
        return await FinishAsync(check, ct);
    }

    private async Task<IActionResult> SecondStepAsync(CancellationToken ct)
    {
        string[] parts;
        try
        {
            parts = Protector.Unprotect(Pending!, out var expires).Split('|');
            if (expires < clock.GetUtcNow())
            {
                throw new System.Security.Cryptography.CryptographicException("expired");
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            Pending = null;
            ModelState.Clear();
            ModelState.AddModelError("", "The sign-in took too long. Enter your password again.");
            return Page();
        }
        if (string.IsNullOrWhiteSpace(Code))
        {
            ModelState.AddModelError(nameof(Code), "Enter the code from your authenticator app, or a recovery code.");
            return Page();
        }
        var check = await accounts.CompleteTwoFactorAsync(Guid.Parse(parts[0]), parts[1], Code, ClientAddress.Key(HttpContext), ct);
        if (check.BadCode)
        {
            ModelState.AddModelError(nameof(Code), "That code is wrong, expired or already used.");
            return Page();
        }
        return await FinishAsync(check, ct);
    }

    private async Task<IActionResult> FinishAsync(CredentialCheck check, CancellationToken ct)
    {
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
            Pending = null;
            ModelState.AddModelError("", AccountService.BadCredentials);
            return Page();
        }
        await UiSignIn.SignInAsync(HttpContext, user, accounts, ct);
        return LocalRedirect(SafeReturnUrl);
    }

    private ITimeLimitedDataProtector Protector => protection.CreateProtector("FinSight.Accounts.SignInPending").ToTimeLimitedDataProtector();

    private string SafeReturnUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
}
