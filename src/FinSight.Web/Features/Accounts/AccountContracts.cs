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

/// <summary>Sign in by email (<c>POST /users/login</c>).</summary>
public sealed record EmailLoginRequest(string? Email, string? Password)
{
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        errors.RequireLength("email", Email, 1, UserLimits.EmailMax);
        errors.RequireLength("password", Password, 1, UserLimits.PasswordMax, trim: false);
        return errors;
    }
}

/// <summary>Sign in by username (<c>POST /api/auth/login</c>).</summary>
public sealed record UsernameLoginRequest(string? Username, string? Password)
{
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        errors.RequireLength("username", Username, 1, UserLimits.UsernameMax);
        errors.RequireLength("password", Password, 1, UserLimits.PasswordMax, trim: false);
        return errors;
    }
}

/// <summary>An account as the API shows it: never the password hash.</summary>
public sealed record UserResponse(Guid Id, string Username, string Email, string Name, DateTimeOffset CreatedAt)
{
    public static UserResponse From(User user) => new(user.Id, user.Username, user.Email, user.DisplayName, user.CreatedAt);
}

internal static partial class AccountRules
{
    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    public static partial Regex UsernamePattern();

    public static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal);
}
