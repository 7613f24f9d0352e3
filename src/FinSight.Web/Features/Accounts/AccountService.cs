using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Portfolios;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Features.Accounts;

/// <summary>Which of an account's names a sign-in gives.</summary>
public enum SignInName
{
    Email,
    Username,
}

/// <summary>The outcome of <see cref="AccountService.CheckCredentialsAsync"/>: the account when the password is right; RetryAfter while locked out; neither when wrong.</summary>
public sealed record CredentialCheck(User? User, TimeSpan? RetryAfter);

/// <summary>
/// Accounts: sign-up, and the password check behind every sign-in (the token routes and the web
/// UI's cookie sign-in), so all of them share one set of rules, one throttle and the same timing.
/// </summary>
public sealed class AccountService(FinSightDbContext db, IPasswordHasher<User> hasher, LoginThrottle throttle, TimeProvider clock)
{
    /// <summary>One message for "no such account" and "wrong password", so answers don't reveal which accounts exist.</summary>
    public const string BadCredentials = "The email/username or password is incorrect.";

    /// <summary>Why a sign-up was refused when the username or the email is taken: it names neither, so it confirms no account.</summary>
    public const string SignupConflict =
        "An account already uses this username or this email address. If it is yours, sign in instead; otherwise choose a different username (each email address can hold one account).";

    /// <summary>
    /// Creates the account of a request that passed <see cref="SignupRequest.Validate"/>. A username
    /// or email another account uses (in any letter case) is one 409 problem that does not say which,
    /// and counts against the caller's address: after as many as it may fail logins, sign-ups from
    /// it are refused (429, <c>retry_after</c> seconds) until the lockout ends, so the answer cannot
    /// be used to list accounts.
    /// </summary>
    public async Task<(User? Created, WriteProblem? Problem)> SignUpAsync(SignupRequest request, string? clientAddress, CancellationToken ct)
    {
        if (throttle.SignupRetryAfter(clientAddress) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            return (null, new WriteProblem(StatusCodes.Status429TooManyRequests, "Too many refused sign-ups",
                $"Try again in {seconds} seconds.", new Dictionary<string, object?> { ["retry_after"] = seconds }));
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

        if (await IsTakenAsync(user, ct))
        {
            throttle.RecordSignupConflict(clientAddress);
            return (null, Taken());
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
            throttle.RecordSignupConflict(clientAddress);
            return (null, Taken());
        }
        return (user, null);
    }

    /// <summary>Checks a password, counting failures per account and per client address.</summary>
    /// <param name="by">Whether <paramref name="account"/> is an email or a username.</param>
    /// <param name="account">The email or username as typed: the throttle key when no such account exists.</param>
    /// <param name="password">The password as typed.</param>
    /// <param name="clientAddress">The caller's address, throttled too.</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<CredentialCheck> CheckCredentialsAsync(SignInName by, string account, string password, string? clientAddress, CancellationToken ct)
    {
        var normalized = User.Normalize(account);
        var user = by == SignInName.Email
            ? await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, ct)
            : await db.Users.SingleOrDefaultAsync(u => u.NormalizedUsername == normalized, ct);
        // Keyed by the account itself when it exists, so switching between the email and the
        // username route does not reset the count.
        var throttleKey = user is null ? "name:" + normalized : "user:" + user.Id;
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
        throttle.RecordSuccess(throttleKey, clientAddress);
        return new CredentialCheck(user, null);
    }

    private Task<bool> IsTakenAsync(User user, CancellationToken ct) =>
        db.Users.AnyAsync(u => u.NormalizedUsername == user.NormalizedUsername || u.NormalizedEmail == user.NormalizedEmail, ct);

    private static WriteProblem Taken() => new(
        StatusCodes.Status409Conflict, "Could not create the account", SignupConflict, new Dictionary<string, object?>());

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
