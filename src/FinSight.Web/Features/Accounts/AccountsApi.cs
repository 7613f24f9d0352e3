using System.Globalization;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using LoginResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<FinSight.Web.Auth.TokenResponse>,
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem,
    Microsoft.AspNetCore.Http.HttpResults.UnauthorizedHttpResult,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace FinSight.Web.Features.Accounts;

/// <summary>
/// Sign-up, sign-in, the current account and its security: the spec's <c>/users/*</c> and
/// <c>/api/auth/login</c> routes plus password change, sign-out everywhere, two-factor sign-in and
/// account deletion. The Account page calls the same <see cref="AccountService"/>.
/// </summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapApiGroup("/users", "Accounts");
        users.MapPost("/signup", Signup)
            .WithName("Signup")
            .WithSummary("Create an account")
            .WithDescription("Creates an account and returns it. Username and email are unique regardless of case. The password needs at least 10 characters, "
                + "at least 5 different ones, and must not be a common password, a run of keys, or contain the username or email (400 says why). "
                + "A taken username or email is one 409 that does not say which; too many of those from one address are 429 with Retry-After.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous();
        users.MapPost("/login", LoginWithEmail)
            .WithName("LoginWithEmail")
            .WithSummary("Sign in with email and password")
            .WithDescription("Returns a bearer token. With two-factor sign-in on, also send `code` (a TOTP or recovery code): without it the answer is 401 with "
                + "`two_factor_required: true`. Repeated failures lock this account for this client address, and this address for all accounts (429 with Retry-After); "
                + "failures from many addresses make the account back off for up to 30 s.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous();
        users.MapGet("/me", Me)
            .WithName("CurrentUser")
            .WithSummary("The signed-in account")
            .RequireAuthorization();
        users.MapPost("/me/password", ChangePassword)
            .WithName("ChangePassword")
            .WithSummary("Change the password")
            .WithDescription("Checks current_password, sets new_password (same rules as sign-up), revokes every token and web session of the account, and returns one new token.")
            .RequireAuthorization();
        users.MapPost("/me/sign-out-everywhere", SignOutEverywhere)
            .WithName("SignOutEverywhere")
            .WithSummary("Revoke every token and web session")
            .WithDescription("Every bearer token and session cookie of the account, including the one making this request, stops working at once.")
            .RequireAuthorization();
        users.MapDelete("/me", DeleteAccount)
            .WithName("DeleteAccount")
            .WithSummary("Delete the account and all its data")
            .WithDescription("Takes the password (and `code` with two-factor sign-in on). Deletes the account, its portfolios, transactions, snapshots, settings and sessions; its tokens stop working.")
            .RequireAuthorization();
        users.MapPost("/me/two-factor", BeginTwoFactor)
            .WithName("BeginTwoFactor")
            .WithSummary("Start setting up two-factor sign-in")
            .WithDescription("Returns a new TOTP secret (SHA-1, 6 digits, 30 s) and its otpauth:// URI. Nothing changes for sign-in until /confirm gets a code made from it.")
            .RequireAuthorization();
        users.MapPost("/me/two-factor/confirm", ConfirmTwoFactor)
            .WithName("ConfirmTwoFactor")
            .WithSummary("Turn two-factor sign-in on")
            .WithDescription("Checks a current code from the new secret, turns two-factor sign-in on and returns 10 single-use recovery codes, shown only this once.")
            .RequireAuthorization();
        users.MapPost("/me/two-factor/disable", DisableTwoFactor)
            .WithName("DisableTwoFactor")
            .WithSummary("Turn two-factor sign-in off")
            .WithDescription("Takes the password.")
            .RequireAuthorization();

        app.MapApiGroup("/api/auth", "Accounts").MapPost("/login", LoginWithUsername)
            .WithName("LoginWithUsername")
            .WithSummary("Sign in with username and password")
            .WithDescription("Same as /users/login, keyed by username.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous();
        return app;
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> Signup(
        SignupRequest request, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var errors = request.Validate();
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var (user, problem) = await accounts.SignUpAsync(request, ClientAddress.Key(http), ct);
        if (user is not null)
        {
            return TypedResults.Created("/users/me", UserResponse.From(user));
        }
        return Problem(http, problem!);
    }

    public static async Task<LoginResult> LoginWithEmail(
        EmailLoginRequest request, HttpContext http, AccountService accounts, TokenService tokens, CancellationToken ct)
    {
        var errors = request.Validate();
        return errors.IsEmpty
            ? await Login(SignInName.Email, request.Email!, request.Password!, request.Code, http, accounts, tokens, ct)
            : TypedResults.ValidationProblem(errors.ToDictionary());
    }

    public static async Task<LoginResult> LoginWithUsername(
        UsernameLoginRequest request, HttpContext http, AccountService accounts, TokenService tokens, CancellationToken ct)
    {
        var errors = request.Validate();
        return errors.IsEmpty
            ? await Login(SignInName.Username, request.Username!, request.Password!, request.Code, http, accounts, tokens, ct)
            : TypedResults.ValidationProblem(errors.ToDictionary());
    }

    public static async Task<Results<Ok<UserResponse>, UnauthorizedHttpResult>> Me(CurrentUser currentUser, FinSightDbContext db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == currentUser.Id, ct);
        // A well-signed token whose account no longer exists identifies nobody.
        return user is null ? TypedResults.Unauthorized() : TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, HttpContext http, CurrentUser currentUser, AccountService accounts, TokenService tokens, CancellationToken ct)
    {
        var errors = request.Validate();
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var (user, problem) = await accounts.ChangePasswordAsync(currentUser.Id, request, ClientAddress.Key(http), ct);
        if (user is not null)
        {
            return TypedResults.Ok(tokens.Issue(user));
        }
        return ValidationOf(problem!) is { } invalid ? invalid : Problem(http, problem!);
    }

    public static async Task<NoContent> SignOutEverywhere(CurrentUser currentUser, AccountService accounts, CancellationToken ct)
    {
        await accounts.SignOutEverywhereAsync(currentUser.Id, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAccount(
        [FromBody] DeleteAccountRequest request, HttpContext http, CurrentUser currentUser, AccountService accounts, CancellationToken ct)
    {
        var errors = request.Validate();
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var problem = await accounts.DeleteAccountAsync(currentUser.Id, request, ClientAddress.Key(http), ct);
        if (problem is null)
        {
            return TypedResults.NoContent();
        }
        return ValidationOf(problem) is { } invalid ? invalid : Problem(http, problem);
    }

    public static async Task<Results<Ok<TwoFactorSetupResponse>, ProblemHttpResult>> BeginTwoFactor(
        HttpContext http, CurrentUser currentUser, AccountService accounts, CancellationToken ct)
    {
        var (setup, problem) = await accounts.BeginTwoFactorAsync(currentUser.Id, ct);
        return setup is not null ? TypedResults.Ok(new TwoFactorSetupResponse(setup.Secret, setup.OtpauthUri)) : Problem(http, problem!);
    }

    public static async Task<Results<Ok<RecoveryCodesResponse>, ValidationProblem, ProblemHttpResult>> ConfirmTwoFactor(
        TwoFactorCodeRequest request, HttpContext http, CurrentUser currentUser, AccountService accounts, CancellationToken ct)
    {
        var errors = request.Validate();
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var (codes, problem) = await accounts.ConfirmTwoFactorAsync(currentUser.Id, request.Code!.Trim(), ct);
        if (codes is not null)
        {
            return TypedResults.Ok(new RecoveryCodesResponse(codes));
        }
        return ValidationOf(problem!) is { } invalid ? invalid : Problem(http, problem!);
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DisableTwoFactor(
        DisableTwoFactorRequest request, HttpContext http, CurrentUser currentUser, AccountService accounts, CancellationToken ct)
    {
        var errors = request.Validate();
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var problem = await accounts.DisableTwoFactorAsync(currentUser.Id, request.Password!, ClientAddress.Key(http), ct);
        if (problem is null)
        {
            return TypedResults.NoContent();
        }
        return ValidationOf(problem) is { } invalid ? invalid : Problem(http, problem);
    }

    private static async Task<LoginResult> Login(
        SignInName by, string account, string password, string? code, HttpContext http, AccountService accounts, TokenService tokens, CancellationToken ct)
    {
        var check = await accounts.CheckCredentialsAsync(by, account, password, code, ClientAddress.Key(http), ct);
        if (check.RetryAfter is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many failed sign-in attempts",
                detail: $"Try again in {seconds} seconds.");
        }
        if (check.TwoFactorRequired)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Two-factor code required",
                detail: "Send the current code from your authenticator app (or a recovery code) as `code`.",
                extensions: new Dictionary<string, object?> { ["two_factor_required"] = true });
        }
        if (check.BadCode)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The code is incorrect",
                detail: "The code is wrong, expired or already used.", extensions: new Dictionary<string, object?> { ["two_factor_required"] = true });
        }
        return check.User is { } user ? TypedResults.Ok(tokens.Issue(user)) : Unauthorized(http);
    }

    /// <summary>A refusal that names a field becomes a validation problem on that field; anything else a plain problem.</summary>
    private static ValidationProblem? ValidationOf(WriteProblem problem) =>
        problem is { Status: StatusCodes.Status400BadRequest, Field: { } field }
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [problem.Detail] })
            : null;

    private static ProblemHttpResult Problem(HttpContext http, WriteProblem problem)
    {
        if (problem.Extensions.TryGetValue("retry_after", out var seconds))
        {
            http.Response.Headers.RetryAfter = Convert.ToString(seconds, CultureInfo.InvariantCulture);
        }
        return problem.ToResult();
    }

    private static UnauthorizedHttpResult Unauthorized(HttpContext http)
    {
        // The status-code-pages middleware turns this into ProblemDetails; the detail travels in Items.
        http.Items[ProblemDetailsSetup.DetailItemKey] = AccountService.BadCredentials;
        return TypedResults.Unauthorized();
    }
}
