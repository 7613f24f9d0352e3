using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using LoginResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<FinSight.Web.Auth.TokenResponse>,
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem,
    Microsoft.AspNetCore.Http.HttpResults.UnauthorizedHttpResult,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace FinSight.Web.Features.Accounts;

/// <summary>Sign-up, sign-in and the current account: the spec's <c>/users/*</c> and <c>/api/auth/login</c> routes.</summary>
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
            .WithDescription("Returns a bearer token. Repeated failures lock the account name and the client out for a while (429 with Retry-After).")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous();
        users.MapGet("/me", Me)
            .WithName("CurrentUser")
            .WithSummary("The signed-in account")
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
        if (problem!.Extensions.TryGetValue("retry_after", out var seconds))
        {
            http.Response.Headers.RetryAfter = Convert.ToString(seconds, System.Globalization.CultureInfo.InvariantCulture);
        }
        return problem.ToResult();
    }

    public static async Task<LoginResult> LoginWithEmail(
        EmailLoginRequest request, HttpContext http, AccountService accounts, TokenService tokens, CancellationToken ct)
    {
        var errors = request.Validate();
        return errors.IsEmpty
            ? await Login(SignInName.Email, request.Email!, request.Password!, http, accounts, tokens, ct)
            : TypedResults.ValidationProblem(errors.ToDictionary());
    }

    public static async Task<LoginResult> LoginWithUsername(
        UsernameLoginRequest request, HttpContext http, AccountService accounts, TokenService tokens, CancellationToken ct)
    {
        var errors = request.Validate();
        return errors.IsEmpty
            ? await Login(SignInName.Username, request.Username!, request.Password!, http, accounts, tokens, ct)
            : TypedResults.ValidationProblem(errors.ToDictionary());
    }

    public static async Task<Results<Ok<UserResponse>, UnauthorizedHttpResult>> Me(CurrentUser currentUser, FinSightDbContext db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == currentUser.Id, ct);
        // A well-signed token whose account no longer exists identifies nobody.
        return user is null ? TypedResults.Unauthorized() : TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<LoginResult> Login(
        SignInName by, string account, string password, HttpContext http, AccountService accounts, TokenService tokens, CancellationToken ct)
    {
        var check = await accounts.CheckCredentialsAsync(by, account, password, ClientAddress.Key(http), ct);
        if (check.RetryAfter is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many failed sign-in attempts",
                detail: $"Try again in {seconds} seconds.");
        }
        return check.User is { } user ? TypedResults.Ok(tokens.Issue(user)) : Unauthorized(http);
    }

    private static UnauthorizedHttpResult Unauthorized(HttpContext http)
    {
        // The status-code-pages middleware turns this into ProblemDetails; the detail travels in Items.
        http.Items[ProblemDetailsSetup.DetailItemKey] = AccountService.BadCredentials;
        return TypedResults.Unauthorized();
    }
}
