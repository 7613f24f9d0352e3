using System.Collections.Frozen;
using System.Globalization;
using FinSight.Web.Data;

namespace FinSight.Web.Features.Accounts;

/// <summary>
/// What a new password must be: <see cref="UserLimits.PasswordMin"/> to <see cref="UserLimits.PasswordMax"/>
/// characters, not only whitespace, at least <see cref="MinDistinct"/> different characters, not a run
/// (<c>1234567890</c>, <c>abcdefghij</c>, a keyboard row), not one of the most common passwords
/// (<c>common-passwords.txt</c>, also with digits and symbols added at the end), and not the
/// account's username or email. Length beats symbol rules (NIST SP 800-63B): a few unrelated words pass.
/// </summary>
public static class PasswordPolicy
{
    /// <summary>The fewest different characters a password may have.</summary>
    public const int MinDistinct = 5;

    /// <summary>Shown with every refusal, so a person knows what would pass.</summary>
    public static readonly string Guidance = $"Use at least {UserLimits.PasswordMin} characters; a few unrelated words make a strong password that is easy to remember.";

    private static readonly string[] Rows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "azertyuiop", "abcdefghijklmnopqrstuvwxyz"];

    private static readonly FrozenSet<string> Common = Load();

    /// <summary>Why the password is refused, or null when it is acceptable. The username and email, when known, must not be (in) the password.</summary>
    public static string? Check(string? password, string? username = null, string? email = null)
    {
        if (string.IsNullOrEmpty(password) || password.Length < UserLimits.PasswordMin)
        {
            return $"The password needs at least {UserLimits.PasswordMin} characters; a few unrelated words make a strong password that is easy to remember.";
        }
        if (password.Length > UserLimits.PasswordMax)
        {
            return $"The password may have at most {UserLimits.PasswordMax} characters.";
        }
        if (string.IsNullOrWhiteSpace(password))
        {
            return $"The password cannot be only spaces. {Guidance}";
        }
        var folded = Fold(password);
        if (folded.Distinct().Count() < MinDistinct)
        {
            return $"The password repeats too few characters. {Guidance}";
        }
        if (IsRun(folded))
        {
            return $"The password is a run of keys or letters that is guessed first. {Guidance}";
        }
        if (Common.Contains(folded) || Common.Contains(folded.TrimEnd(TrailingNoise)) || Common.Contains(folded.TrimStart(TrailingNoise)))
        {
            return $"This is one of the most common passwords, which are tried first. {Guidance}";
        }
        var name = username is null ? null : Fold(username);
        var mailbox = email is null ? null : Fold(email.Split('@')[0]);
        if ((name is { Length: >= 3 } && folded.Contains(name, StringComparison.Ordinal))
            || (mailbox is { Length: >= 3 } && folded.Contains(mailbox, StringComparison.Ordinal)))
        {
            return $"The password must not contain your username or email. {Guidance}";
        }
        return null;
    }

    /// <summary>Lower case without whitespace: "Pass Word" and "password" are the same guess.</summary>
    private static string Fold(string value) =>
        string.Concat(value.Where(c => !char.IsWhiteSpace(c))).ToLower(CultureInfo.InvariantCulture);

    private static readonly char[] TrailingNoise = "0123456789!@#$%^&*()-_=+.,?~ ".ToCharArray();

    /// <summary>The whole password is a stretch of one keyboard row or the alphabet, either way round.</summary>
    private static bool IsRun(string folded)
    {
        var reversed = new string(folded.Reverse().ToArray());
        return Rows.Any(row => row.Contains(folded, StringComparison.Ordinal) || row.Contains(reversed, StringComparison.Ordinal));
    }

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("FinSight.Web.Features.Accounts.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-passwords list is not embedded in FinSight.Web.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                words.Add(Fold(line));
            }
        }
        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
