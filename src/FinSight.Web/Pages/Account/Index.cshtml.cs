using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Accounts;
using FinSight.Web.Infrastructure;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Ui;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using QRCoder;

namespace FinSight.Web.Pages.Account;

/// <summary>
/// The account's security: password change, two-factor sign-in, sign out everywhere, deletion.
/// Every action is <see cref="AccountService"/>'s, the same as the API's.
/// </summary>
public sealed class IndexModel(AccountService accounts, FinSightDbContext db, CurrentUser currentUser) : PageModel
{
    public User Account { get; private set; } = null!;
    public string? Saved { get; private set; }

    /// <summary>Set while enrolling: the secret, its URI and the URI as an SVG QR code.</summary>
    public TwoFactorSetup? Setup { get; private set; }
    public string? SetupQrSvg { get; private set; }

    /// <summary>Set once, right after two-factor sign-in was turned on.</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? saved, CancellationToken ct)
    {
        Saved = saved switch
        {
            "password" => "Password changed. Every other session and token was signed out.",
            "2fa-off" => "Two-factor sign-in is off.",
            _ => null,
        };
        return await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostPasswordAsync(string? currentPassword, string? newPassword, CancellationToken ct)
    {
        var request = new ChangePasswordRequest(currentPassword, newPassword);
        var errors = request.Validate();
        if (!errors.IsEmpty)
        {
            errors.AddTo(ModelState);
            return await LoadAsync(ct);
        }
        var (user, problem) = await accounts.ChangePasswordAsync(currentUser.Id, request, ClientAddress.Key(HttpContext), ct);
        if (user is null)
        {
            return await RefusedAsync(problem!, ct);
        }
        // This browser stays signed in with a new session; every other one was ended.
        await UiSignIn.SignInAsync(HttpContext, user, accounts, ct);
        return Redirect("/account?saved=password");
    }

    public async Task<IActionResult> OnPostSignOutEverywhereAsync(CancellationToken ct)
    {
        await accounts.SignOutEverywhereAsync(currentUser.Id, ct);
        await HttpContext.SignOutAsync(UiSetup.CookieScheme);
        return Redirect("/account/signin?signedout=1");
    }

    public async Task<IActionResult> OnPostDeleteAsync(string? deletePassword, string? deleteCode, CancellationToken ct)
    {
        var request = new DeleteAccountRequest(deletePassword, deleteCode);
        var errors = request.Validate();
        if (!errors.IsEmpty)
        {
            errors.AddTo(ModelState);
            return await LoadAsync(ct);
        }
        var problem = await accounts.DeleteAccountAsync(currentUser.Id, request, ClientAddress.Key(HttpContext), ct);
        if (problem is not null)
        {
            return await RefusedAsync(problem, ct, "delete");
        }
        await HttpContext.SignOutAsync(UiSetup.CookieScheme);
        return Redirect("/account/signin?deleted=1");
    }

    public async Task<IActionResult> OnPostTwoFactorBeginAsync(CancellationToken ct)
    {
        var (setup, problem) = await accounts.BeginTwoFactorAsync(currentUser.Id, ct);
        if (setup is null)
        {
            return await RefusedAsync(problem!, ct);
        }
        Setup = setup;
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(setup.OtpauthUri, QRCodeGenerator.ECCLevel.M);
        SetupQrSvg = new SvgQRCode(data).GetGraphic(4);
        return await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostTwoFactorConfirmAsync(string? code, CancellationToken ct)
    {
        var request = new TwoFactorCodeRequest(code);
        var errors = request.Validate();
        if (!errors.IsEmpty)
        {
            errors.AddTo(ModelState);
            return await LoadAsync(ct);
        }
        var (codes, problem) = await accounts.ConfirmTwoFactorAsync(currentUser.Id, code!.Trim(), ct);
        if (codes is null)
        {
            return await RefusedAsync(problem!, ct);
        }
        RecoveryCodes = codes;
        return await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostTwoFactorDisableAsync(string? disablePassword, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(disablePassword))
        {
            ModelState.AddModelError("disablePassword", "Enter your password.");
            return await LoadAsync(ct);
        }
        var problem = await accounts.DisableTwoFactorAsync(currentUser.Id, disablePassword, ClientAddress.Key(HttpContext), ct);
        if (problem is not null)
        {
            return await RefusedAsync(problem, ct, "disable");
        }
        return Redirect("/account?saved=2fa-off");
    }

    private async Task<IActionResult> RefusedAsync(WriteProblem problem, CancellationToken ct, string prefix = "")
    {
        if (problem.Status == StatusCodes.Status429TooManyRequests)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
        }
        // The page lists every error at the top, so the key only has to be distinct.
        ModelState.AddModelError(prefix + (problem.Field ?? ""), problem.Detail);
        return await LoadAsync(ct);
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == currentUser.Id, ct);
        if (user is null)
        {
            return Redirect("/account/signin");
        }
        Account = user;
        return Page();
    }
}
