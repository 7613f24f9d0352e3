using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Portfolios;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace FinSight.Web.Features.Accounts;

/// <summary>Which of an account's names a sign-in gives.</summary>
public enum SignInName
{
    Email,
    Username,
}

/// <summary>
/// The outcome of a credential check: the account when the password (and, with two-factor sign-in
/// on, the code) is right; RetryAfter while locked out; <see cref="TwoFactorRequired"/> when the
/// password was right but a code is still needed; nothing when wrong.
/// </summary>
public sealed record CredentialCheck(User? User, TimeSpan? RetryAfter)
{
    /// <summary>The password was right and the account asks for a code; <see cref="Pending"/> is that account.</summary>
    public bool TwoFactorRequired { get; init; }

    /// <summary>A code was given and it was wrong (or already used).</summary>
    public bool BadCode { get; init; }

    /// <summary>The account waiting for its code when <see cref="TwoFactorRequired"/>.</summary>
    public User? Pending { get; init; }
}

/// <summary>A two-factor enrolment: the secret to type into an authenticator app, and the same as an <c>otpauth://</c> URI (for a QR code).</summary>
public sealed record TwoFactorSetup(string Secret, string OtpauthUri);

/// <summary>
/// Accounts: sign-up, the password (and TOTP) check behind every sign-in (the token routes and the
/// web UI's cookie sign-in), sessions, password change, "sign out everywhere", two-factor sign-in
/// and account deletion. The API and the pages both call this, so they share one set of rules,
/// one throttle and the same timing.
/// </summary>
public sealed class AccountService(
    FinSightDbContext db, IPasswordHasher<User> hasher, LoginThrottle throttle, TimeProvider clock, IDataProtectionProvider protection, Infrastructure.UserEpochs epochs)
{
    /// <summary>One message for "no such account" and "wrong password", so answers don't reveal which accounts exist.</summary>
    public const string BadCredentials = "The email/username or password is incorrect.";

    /// <summary>Why a sign-up was refused when the username or the email is taken: it names neither, so it confirms no account.</summary>
    public const string SignupConflict =
        "An account already uses this username or this email address. If it is yours, sign in instead; otherwise choose a different username (each email address can hold one account).";

    /// <summary>How many recovery codes an enrolment hands out.</summary>
    public const int RecoveryCodeCount = 10;

    /// <summary>How long a browser session lives without being used (the cookie's sliding lifetime).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromDays(14);

    private const string Issuer = "FinSight";
    private IDataProtector SecretProtector => protection.CreateProtector("FinSight.Accounts.TwoFactorSecret");

    /// <summary>
    /// Creates the account of a request that passed <see cref="SignupRequest.Validate"/>. A username
    /// or email another account uses (in any letter case) is one 409 problem that does not say which,
    /// and counts against the caller's address: after as many as it may fail logins, sign-ups from
    /// it are refused (429, <c>retry_after</c> seconds) until the lockout ends, so the answer cannot
    /// be used to list accounts.
    /// </summary>
    public async Task<(User? Created, WriteProblem? Problem)> SignUpAsync(SignupRequest request, string? clientAddress, CancellationToken ct)
    {
        if (await throttle.SignupRetryAfterAsync(clientAddress) is { } wait)
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
            await throttle.RecordSignupConflictAsync(clientAddress);
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
            await throttle.RecordSignupConflictAsync(clientAddress);
            return (null, Taken());
        }
        return (user, null);
    }

    /// <summary>Checks a password (and, for an account with two-factor sign-in, the code), counting failures per account, per account and address, and per address.</summary>
    /// <param name="by">Whether <paramref name="account"/> is an email or a username.</param>
    /// <param name="account">The email or username as typed: the throttle key when no such account exists.</param>
    /// <param name="password">The password as typed.</param>
    /// <param name="code">A TOTP or recovery code, when the caller has one; null asks whether one is needed.</param>
    /// <param name="clientAddress">The caller's address key (<see cref="ClientAddress.Key"/>).</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<CredentialCheck> CheckCredentialsAsync(SignInName by, string account, string password, string? code, string? clientAddress, CancellationToken ct)
    {
        var normalized = User.Normalize(account);
        var user = by == SignInName.Email
            ? await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, ct)
            : await db.Users.SingleOrDefaultAsync(u => u.NormalizedUsername == normalized, ct);
        // Keyed by the account itself when it exists, so switching between the email and the
        // username route does not reset the count.
        var throttleKey = user is null ? "name:" + normalized : ThrottleKey(user.Id);
        if (await throttle.RetryAfterAsync(throttleKey, clientAddress) is { } wait)
        {
            return new CredentialCheck(null, wait);
        }

        // Verify against a fixed hash when the account is unknown, so both paths take the same time.
        var result = hasher.VerifyHashedPassword(user ?? TimingDummy.User, user?.PasswordHash ?? TimingDummy.Hash(hasher), password);
        if (user is null || result == PasswordVerificationResult.Failed)
        {
            await throttle.RecordFailureAsync(throttleKey, clientAddress);
            return new CredentialCheck(null, null);
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(ct);
        }
        if (user.TwoFactorEnabled)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                return new CredentialCheck(null, null) { TwoFactorRequired = true, Pending = user };
            }
            if (!await AcceptCodeAsync(user, code, ct))
            {
                await throttle.RecordFailureAsync(throttleKey, clientAddress);
                return new CredentialCheck(null, null) { BadCode = true };
            }
        }
        await throttle.RecordSuccessAsync(throttleKey, clientAddress);
        return new CredentialCheck(user, null);
    }

    /// <summary>
    /// The second step of a web sign-in: the account <paramref name="userId"/> gave the right
    /// password while its security stamp was <paramref name="stamp"/>; now the code.
    /// </summary>
    public async Task<CredentialCheck> CompleteTwoFactorAsync(Guid userId, string stamp, string code, string? clientAddress, CancellationToken ct)
    {
        var key = ThrottleKey(userId);
        if (await throttle.RetryAfterAsync(key, clientAddress) is { } wait)
        {
            return new CredentialCheck(null, wait);
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null || user.SecurityStamp != stamp || !user.TwoFactorEnabled)
        {
            return new CredentialCheck(null, null);
        }
        if (!await AcceptCodeAsync(user, code, ct))
        {
            await throttle.RecordFailureAsync(key, clientAddress);
            return new CredentialCheck(null, null) { BadCode = true };
        }
        await throttle.RecordSuccessAsync(key, clientAddress);
        return new CredentialCheck(user, null);
    }

    /// <summary>Records a new browser session for the cookie to name, and forgets the user's sessions unused for longer than a cookie lives.</summary>
    public async Task<Guid> StartSessionAsync(User user, CancellationToken ct)
    {
        var now = clock.StoredUtcNow();
        var expired = now - SessionLifetime;
        await db.UserSessions.Where(s => s.UserId == user.Id && s.SeenAt < expired).ExecuteDeleteAsync(ct);
        var session = new UserSession { Id = Guid.CreateVersion7(now), UserId = user.Id, CreatedAt = now, SeenAt = now };
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return session.Id;
    }

    /// <summary>Ends the session the principal's cookie names; the cookie stops working even if someone kept a copy.</summary>
    public async Task EndSessionAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (Guid.TryParse(principal.FindFirstValue(SessionClaims.Session), out var id))
        {
            await db.UserSessions.Where(s => s.Id == id).ExecuteDeleteAsync(ct);
            if (Guid.TryParse(principal.FindFirstValue(Microsoft.IdentityModel.JsonWebTokens.JwtRegisteredClaimNames.Sub), out var userId))
            {
                await epochs.BumpAsync([userId], CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Changes the password after checking the current one (throttled like a sign-in), and revokes
    /// every token and session of the account. Returns the account with its new stamp, so the caller
    /// can issue the one new token or cookie; a wrong current password is 400 on <c>current_password</c>.
    /// </summary>
    public async Task<(User? User, WriteProblem? Problem)> ChangePasswordAsync(Guid userId, ChangePasswordRequest request, string? clientAddress, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return (null, WriteProblem.NotFound("account"));
        }
        if (await VerifyPasswordAsync(user, request.CurrentPassword!, clientAddress) is { } refused)
        {
            return (null, refused with { Field = "current_password" });
        }
        if (PasswordPolicy.Check(request.NewPassword, user.Username, user.Email) is { } weak)
        {
            return (null, Invalid("new_password", weak));
        }
        user.PasswordHash = hasher.HashPassword(user, request.NewPassword!);
        user.SecurityStamp = User.NewSecurityStamp();
        await db.UserSessions.Where(s => s.UserId == user.Id).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct); // retires the user's epoch (UserEpochsInterceptor)
        return (user, null);
    }

    /// <summary>Revokes every token and browser session of the account at once.</summary>
    public async Task SignOutEverywhereAsync(Guid userId, CancellationToken ct)
    {
        var stamp = User.NewSecurityStamp();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.SecurityStamp, stamp), ct);
        await db.UserSessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(ct);
        await epochs.BumpAsync([userId], CancellationToken.None);
    }

    /// <summary>
    /// Deletes the account and everything it owns (portfolios, transactions, snapshots, settings,
    /// sessions: the foreign keys cascade) after checking the password and, with two-factor sign-in
    /// on, a code. Its tokens and cookies stop working with it.
    /// </summary>
    public async Task<WriteProblem?> DeleteAccountAsync(Guid userId, DeleteAccountRequest request, string? clientAddress, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return WriteProblem.NotFound("account");
        }
        if (await VerifyPasswordAsync(user, request.Password!, clientAddress) is { } refused)
        {
            return refused with { Field = "password" };
        }
        if (user.TwoFactorEnabled && (string.IsNullOrWhiteSpace(request.Code) || !await AcceptCodeAsync(user, request.Code, ct)))
        {
            await throttle.RecordFailureAsync(ThrottleKey(user.Id), clientAddress);
            return Invalid("code", "Enter a current code from your authenticator app, or a recovery code.");
        }
        await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(ct);
        await epochs.BumpAsync([userId], CancellationToken.None);
        return null;
    }

    /// <summary>
    /// Starts (or restarts) two-factor enrolment: a new secret, not yet in force until
    /// <see cref="ConfirmTwoFactorAsync"/> sees a code made from it. 409 when it is already on.
    /// </summary>
    public async Task<(TwoFactorSetup? Setup, WriteProblem? Problem)> BeginTwoFactorAsync(Guid userId, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return (null, WriteProblem.NotFound("account"));
        }
        if (user.TwoFactorEnabled)
        {
            return (null, new WriteProblem(StatusCodes.Status409Conflict, "Two-factor sign-in is already on",
                "Turn it off first to set up a new authenticator.", new Dictionary<string, object?>()));
        }
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        user.TwoFactorSecret = SecretProtector.Protect(secret);
        user.LastTotpStep = null;
        await db.SaveChangesAsync(ct);
        var label = Uri.EscapeDataString($"{Issuer}:{user.Username}");
        var uri = $"otpauth://totp/{label}?secret={secret}&issuer={Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits=6&period=30";
        return (new TwoFactorSetup(secret, uri), null);
    }

    /// <summary>Turns two-factor sign-in on when the code matches the enrolled secret; returns the recovery codes, shown this once.</summary>
    public async Task<(IReadOnlyList<string>? RecoveryCodes, WriteProblem? Problem)> ConfirmTwoFactorAsync(Guid userId, string code, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return (null, WriteProblem.NotFound("account"));
        }
        if (user.TwoFactorEnabled || user.TwoFactorSecret is null)
        {
            return (null, new WriteProblem(StatusCodes.Status409Conflict, "No two-factor set-up is waiting",
                user.TwoFactorEnabled ? "Two-factor sign-in is already on." : "Start the set-up first.", new Dictionary<string, object?>()));
        }
        if (!VerifyTotp(user, code, out var step))
        {
            return (null, Invalid("code", "That code does not match. Check the time on your device and enter the current code."));
        }
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        user.TwoFactorEnabled = true;
        user.LastTotpStep = step;
        user.RecoveryCodes = string.Join(';', codes.Select(HashRecoveryCode));
        await db.SaveChangesAsync(ct);
        return (codes, null);
    }

    /// <summary>Turns two-factor sign-in off after checking the password (throttled like a sign-in).</summary>
    public async Task<WriteProblem?> DisableTwoFactorAsync(Guid userId, string password, string? clientAddress, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return WriteProblem.NotFound("account");
        }
        if (await VerifyPasswordAsync(user, password, clientAddress) is { } refused)
        {
            return refused with { Field = "password" };
        }
        user.TwoFactorEnabled = false;
        user.TwoFactorSecret = null;
        user.RecoveryCodes = null;
        user.LastTotpStep = null;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>How many recovery codes the account has left.</summary>
    public static int RecoveryCodesLeft(User user) =>
        string.IsNullOrEmpty(user.RecoveryCodes) ? 0 : user.RecoveryCodes.Split(';').Length;

    private async Task<WriteProblem?> VerifyPasswordAsync(User user, string password, string? clientAddress)
    {
        var key = ThrottleKey(user.Id);
        if (await throttle.RetryAfterAsync(key, clientAddress) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            return new WriteProblem(StatusCodes.Status429TooManyRequests, "Too many failed attempts",
                $"Try again in {seconds} seconds.", new Dictionary<string, object?> { ["retry_after"] = seconds });
        }
        if (hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            await throttle.RecordFailureAsync(key, clientAddress);
            return Invalid("password", "The password is incorrect.");
        }
        return null;
    }

    /// <summary>A TOTP code not used before, or an unused recovery code (which is then spent). Saves the change.</summary>
    private async Task<bool> AcceptCodeAsync(User user, string code, CancellationToken ct)
    {
        var compact = new string(code.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();
        if (compact.Length == 6 && compact.All(char.IsAsciiDigit))
        {
            if (!VerifyTotp(user, compact, out var step))
            {
                return false;
            }
            // Only a later time step than the last one accepted: a code observed in use cannot be replayed,
            // not even by a concurrent request (the update is conditional on the step it read).
            var previous = user.LastTotpStep;
            var updated = await db.Users.Where(u => u.Id == user.Id && u.LastTotpStep == previous)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastTotpStep, step), ct);
            user.LastTotpStep = step;
            return updated == 1;
        }
        var hashes = (user.RecoveryCodes ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
        var hash = HashRecoveryCode(compact);
        if (!hashes.Remove(hash))
        {
            return false;
        }
        var before = user.RecoveryCodes;
        var after = string.Join(';', hashes);
        var spent = await db.Users.Where(u => u.Id == user.Id && u.RecoveryCodes == before)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.RecoveryCodes, after), ct);
        user.RecoveryCodes = after;
        return spent == 1;
    }

    private bool VerifyTotp(User user, string code, out long step)
    {
        step = 0;
        if (user.TwoFactorSecret is null || code.Length != 6)
        {
            return false;
        }
        var secret = Base32Encoding.ToBytes(SecretProtector.Unprotect(user.TwoFactorSecret));
        // One step either side: clocks drift and people type slowly.
        var ok = new Totp(secret).VerifyTotp(clock.GetUtcNow().UtcDateTime, code, out step, new VerificationWindow(previous: 1, future: 1));
        return ok && (user.LastTotpStep is null || step > user.LastTotpStep);
    }

    private static string NewRecoveryCode()
    {
        var text = Base32Encoding.ToString(RandomNumberGenerator.GetBytes(7))[..10];
        return text[..5] + "-" + text[5..];
    }

    private static string HashRecoveryCode(string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant())));

    private static string ThrottleKey(Guid userId) => "user:" + userId;

    private Task<bool> IsTakenAsync(User user, CancellationToken ct) =>
        db.Users.AnyAsync(u => u.NormalizedUsername == user.NormalizedUsername || u.NormalizedEmail == user.NormalizedEmail, ct);

    private static WriteProblem Taken() => new(
        StatusCodes.Status409Conflict, "Could not create the account", SignupConflict, new Dictionary<string, object?>());

    private static WriteProblem Invalid(string field, string detail) => new(
        StatusCodes.Status400BadRequest, "The request is not valid", detail, new Dictionary<string, object?>()) { Field = field };

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
