using System.Net.Mail;
using System.Text.RegularExpressions;
using FinSight.Web.Data;
using FinSight.Web.Infrastructure;

namespace FinSight.Web.Features.Accounts;

/// <summary>A new account. Every field is required; the password must pass <see cref="PasswordPolicy"/>.</summary>
public sealed record SignupRequest(string? Name, string? Username, string? Email, string? Password)
{
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        errors.RequireLength("name", Name, 1, UserLimits.NameMax);
        if (errors.RequireLength("username", Username, UserLimits.UsernameMin, UserLimits.UsernameMax)
            && !AccountRules.UsernamePattern().IsMatch(Username!.Trim()))
        {
            errors.Add("username", "Use only letters, digits, '.', '_' and '-'.");
        }
        if (errors.RequireLength("email", Email, 3, UserLimits.EmailMax) && !AccountRules.IsEmail(Email!.Trim()))
        {
            errors.Add("email", "This is not a valid email address.");
        }
        if (Password is null || Password.Length == 0)
        {
            errors.Add("password", "This field is required.");
        }
        else if (PasswordPolicy.Check(Password, Username?.Trim(), Email?.Trim()) is { } weak)
        {
            errors.Add("password", weak);
        }
        return errors;
    }
}

/// <summary>Sign in by email (<c>POST /users/login</c>); <c>code</c> is the TOTP or recovery code when two-factor sign-in is on.</summary>
public sealed record EmailLoginRequest(string? Email, string? Password, string? Code = null)
{
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        errors.RequireLength("email", Email, 1, UserLimits.EmailMax);
        errors.RequireLength("password", Password, 1, UserLimits.PasswordMax, trim: false);
        AccountRules.CheckCode(errors, Code);
        return errors;
    }
}

/// <summary>Sign in by username (<c>POST /api/auth/login</c>); <c>code</c> as for <see cref="EmailLoginRequest"/>.</summary>
public sealed record UsernameLoginRequest(string? Username, string? Password, string? Code = null)
{
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        errors.RequireLength("username", Username, 1, UserLimits.UsernameMax);
        errors.RequireLength("password", Password, 1, UserLimits.PasswordMax, trim: false);
        AccountRules.CheckCode(errors, Code);
        return errors;
    }
}

/// <summary>An account as the API shows it: never the password hash or any secret.</summary>
public sealed record UserResponse(Guid Id, string Username, string Email, string Name, DateTimeOffset CreatedAt, bool TwoFactorEnabled)
{
    public static UserResponse From(User user) => new(user.Id, user.Username, user.Email, user.DisplayName, user.CreatedAt, user.TwoFactorEnabled);
}

internal static partial class AccountRules
{
    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    public static partial Regex UsernamePattern();

    /// <summary>An optional code: a TOTP code is 6 digits, a recovery code 11 characters; more is not a code.</summary>
    public static void CheckCode(ValidationErrors errors, string? code)
    {
        if (code is { Length: > 32 })
        {
            errors.Add("code", "A code has at most 32 characters.");
        }
    }

    public static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal);
}

/// <summary>A new password for the signed-in account (<c>POST /users/me/password</c>); the new one must pass <see cref="PasswordPolicy"/>.</summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword)
{
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        errors.RequireLength("current_password", CurrentPassword, 1, UserLimits.PasswordMax, trim: false);
        errors.RequireLength("new_password", NewPassword, 1, UserLimits.PasswordMax, trim: false);
        return errors;
    }
}

/// <summary>Deleting the signed-in account (<c>DELETE /users/me</c>): its password, and a code when two-factor sign-in is on.</summary>
public sealed record DeleteAccountRequest(string? Password, string? Code)
{
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        errors.RequireLength("password", Password, 1, UserLimits.PasswordMax, trim: false);
        AccountRules.CheckCode(errors, Code);
        return errors;
    }
}

/// <summary>A TOTP code (<c>POST /users/me/two-factor/confirm</c>).</summary>
public sealed record TwoFactorCodeRequest(string? Code)
{
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        errors.RequireLength("code", Code, 6, 32);
        return errors;
    }
}

/// <summary>Turning two-factor sign-in off (<c>POST /users/me/two-factor/disable</c>) takes the password.</summary>
public sealed record DisableTwoFactorRequest(string? Password)
{
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        errors.RequireLength("password", Password, 1, UserLimits.PasswordMax, trim: false);
        return errors;
    }
}

/// <summary>A two-factor enrolment as the API shows it: type <c>secret</c> into an authenticator app or open <c>otpauth_uri</c>.</summary>
public sealed record TwoFactorSetupResponse(string Secret, string OtpauthUri);

/// <summary>The recovery codes, shown once: each signs in once in place of a TOTP code.</summary>
public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);
