using FinSight.Domain;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace FinSight.Web.Infrastructure;

/// <summary>
/// Collects field errors keyed by their JSON (snake_case) names, in the shape
/// <see cref="Microsoft.AspNetCore.Http.TypedResults.ValidationProblem(IDictionary{string, string[]}, string?, string?, string?, string?, IDictionary{string, object?}?)"/> expects.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    /// <summary>Whether <paramref name="field"/> already has an error.</summary>
    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    /// <summary>Checks presence and length; returns true when the value is usable for further checks.</summary>
    public bool RequireLength(string field, string? value, int min, int max, bool trim = true)
    {
        if (value is null || (trim ? string.IsNullOrWhiteSpace(value) : value.Length == 0))
        {
            Add(field, "This field is required.");
            return false;
        }
        var length = (trim ? value.Trim() : value).Length;
        if (length < min || length > max)
        {
            Add(field, min == max ? $"Must be exactly {min} characters." : $"Must be between {min} and {max} characters.");
            return false;
        }
        return true;
    }

    /// <summary>Checks that a required value is a <see cref="Ticker"/>; returns its normalized form, or null after adding the error.</summary>
    public string? RequireTicker(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "This field is required.");
            return null;
        }
        if (!Ticker.TryParse(value, out var ticker))
        {
            Add(field, "Not a valid ticker symbol.");
            return null;
        }
        return ticker.Value;
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>
    /// Puts every error next to a page's input: the JSON name (<c>split_numerator</c>) becomes the
    /// property name (<c>SplitNumerator</c>) under <paramref name="prefix"/> (<c>Form.SplitNumerator</c>).
    /// </summary>
    public void AddTo(ModelStateDictionary state, string prefix = "")
    {
        foreach (var (field, messages) in _errors)
        {
            foreach (var message in messages)
            {
                state.AddModelError(PropertyPath(prefix, field), message);
            }
        }
    }

    /// <summary>The page property for a JSON field name; no name means the form as a whole.</summary>
    internal static string PropertyPath(string prefix, string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return "";
        }
        var name = string.Concat(field.Split('_').Select(word => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..]));
        return prefix.Length == 0 ? name : prefix + "." + name;
    }
}
