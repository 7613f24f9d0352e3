using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
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
    // One message for "no such account" and "wrong password", so responses don't reveal which accounts exist.
    private const string BadCredentials = "The email/username or password is incorrect.";

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/users").WithTags("Accounts");
        users.MapPost("/signup", Signup)
            .WithName("Signup")
            .WithSummary("Create an account")
            .WithDescription("Creates an account and returns it. Username and email are unique regardless of case; the password needs at least 8 characters.")
            .ProducesProblem(StatusCodes.Status409Conflict)
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

        app.MapPost("/api/auth/login", LoginWithUsername)
            .WithTags("Accounts")
            .WithName("LoginWithUsername")
            .WithSummary("Sign in with username and password")
            .WithDescription("Same as /users/login, keyed by username.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous();
        return app;
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> Signup(
        SignupRequest request, FinSightDbContext db, IPasswordHasher<User> hasher, TimeProvider clock, CancellationToken ct)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var username = request.Username!.Trim();
        var email = request.Email!.Trim();
        var now = clock.StoredUtcNow();
        var user = new User
        {
            Id = Guid.CreateVersion7(now),
            Username = username,
            NormalizedUsername = User.Normalize(username),
            Email = email,
            NormalizedEmail = User.Normalize(email),
            DisplayName = request.Name!.Trim(),
            PasswordHash = "",
            CreatedAt = now,
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);

        if (await FindConflictAsync(db, user, ct) is { } taken)
        {
            return Taken(taken);
        }
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent signup took the name between our check and the insert; the unique index decided.
            db.ChangeTracker.Clear();
            return Taken(await FindConflictAsync(db, user, ct) ?? "username");
        }
        return TypedResults.Created("/users/me", UserResponse.From(user));
    }

    public static async Task<LoginResult> LoginWithEmail(
        EmailLoginRequest request, HttpContext http, FinSightDbContext db, IPasswordHasher<User> hasher, TokenService tokens, LoginThrottle throttle, CancellationToken ct)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var email = User.Normalize(request.Email!);
        return await Login(request.Email!, request.Password!, db.Users.Where(u => u.NormalizedEmail == email), http, hasher, tokens, throttle, db, ct);
    }

    public static async Task<LoginResult> LoginWithUsername(
        UsernameLoginRequest request, HttpContext http, FinSightDbContext db, IPasswordHasher<User> hasher, TokenService tokens, LoginThrottle throttle, CancellationToken ct)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var username = User.Normalize(request.Username!);
        return await Login(request.Username!, request.Password!, db.Users.Where(u => u.NormalizedUsername == username), http, hasher, tokens, throttle, db, ct);
    }

    public static async Task<Results<Ok<UserResponse>, UnauthorizedHttpResult>> Me(CurrentUser currentUser, FinSightDbContext db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == currentUser.Id, ct);
        // A well-signed token whose account no longer exists identifies nobody.
        return user is null ? TypedResults.Unauthorized() : TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<LoginResult> Login(
        string account, string password, IQueryable<User> matching,
        HttpContext http, IPasswordHasher<User> hasher, TokenService tokens, LoginThrottle throttle, FinSightDbContext db, CancellationToken ct)
    {
        var check = await CheckCredentialsAsync(account, password, matching, http.Connection.RemoteIpAddress?.ToString(), hasher, throttle, db, ct);
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

    /// <summary>
    /// The password check behind every sign-in (the token routes and the web UI's cookie sign-in),
    /// so all of them share one throttle and the same timing.
    /// </summary>
    /// <param name="account">The email or username as typed: the throttle key when no such account exists.</param>
    /// <param name="password">The password as typed.</param>
    /// <param name="matching">The account looked up by email or by username.</param>
    /// <param name="clientAddress">The caller's address, throttled too.</param>
    /// <param name="hasher">Verifies (and upgrades) the hash.</param>
    /// <param name="throttle">Counts failures.</param>
    /// <param name="db">Saves an upgraded hash.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The account when the password is right; RetryAfter while locked out; neither when wrong.</returns>
    public static async Task<CredentialCheck> CheckCredentialsAsync(
        string account, string password, IQueryable<User> matching, string? clientAddress,
        IPasswordHasher<User> hasher, LoginThrottle throttle, FinSightDbContext db, CancellationToken ct)
    {
        var user = await matching.SingleOrDefaultAsync(ct);
        // Keyed by the account itself when it exists, so switching between the email and the
        // username route does not reset the count.
        var throttleKey = user is null ? "name:" + User.Normalize(account) : "user:" + user.Id;
        if (throttle.RetryAfter(throttleKey, clientAddress) is { } wait)
        {
            return new CredentialCheck(null, wait);
        }

        // Verify against a fixed hash when the account is unknown, so both paths take the same time.
        var result = hasher.VerifyHashedPassword(user ?? TimingDummy.User, user?.PasswordHash ?? TimingDummy.Hash(hasher), password);
        if (user is null || result == PasswordVerificationResult.Failed)
        {
            throttle.RecordFailure(throttleKey, clientAddress);
            return new CredentialCheck(null, null);
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(ct);
        }
        throttle.RecordSuccess(throttleKey);
        return new CredentialCheck(user, null);
    }

    private static UnauthorizedHttpResult Unauthorized(HttpContext http)
    {
        // The status-code-pages middleware turns this into ProblemDetails; the detail travels in Items.
        http.Items[ProblemDetailsSetup.DetailItemKey] = BadCredentials;
        return TypedResults.Unauthorized();
    }

    private static async Task<string?> FindConflictAsync(FinSightDbContext db, User user, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(u => u.NormalizedUsername == user.NormalizedUsername, ct))
        {
            return "username";
        }
        return await db.Users.AnyAsync(u => u.NormalizedEmail == user.NormalizedEmail, ct) ? "email" : null;
    }

    private static ProblemHttpResult Taken(string field) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: $"That {field} is already taken",
            detail: $"Another account already uses this {field}.",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    /// <summary>The outcome of <see cref="CheckCredentialsAsync"/>.</summary>
    public sealed record CredentialCheck(User? User, TimeSpan? RetryAfter);

    private static class TimingDummy
    {
        public static readonly User User = new()
        {
            Username = "", NormalizedUsername = "", Email = "", NormalizedEmail = "", DisplayName = "", PasswordHash = "",
        };
        private static string? _hash;
        public static string Hash(IPasswordHasher<User> hasher) => _hash ??= hasher.HashPassword(User, Guid.NewGuid().ToString());
    }
}
