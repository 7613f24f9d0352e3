namespace FinSight.Web.Data;

/// <summary>
/// One user's choices. A null field means "use the instance default" (<c>Analytics:*</c>,
/// <c>Ui:*</c>), so changing the instance configuration still reaches users who never chose.
/// </summary>
public sealed class UserSettings
{
    public Guid UserId { get; init; }
    public string? Benchmark { get; set; }
    /// <summary>Annual risk-free rate as a fraction (0.04 = 4 %).</summary>
    public double? RiskFreeRate { get; set; }
    public int? RefreshSeconds { get; set; }
    /// <summary>light, dark or auto (follow the system).</summary>
    public string? Theme { get; set; }
    /// <summary>Hide money amounts and quantities on every page (for a screen others can see); percentages stay.</summary>
    public bool PrivacyMode { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// An instance-wide setting stored in the database (one row per key), for values an admin sets at
/// runtime rather than in configuration. Secrets are stored protected, never in plain text.
/// </summary>
public sealed class AppSetting
{
    public const string FinnhubApiKey = "finnhub_api_key";

    public required string Key { get; init; }
    public required string Value { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Limits shared by the schema and validation.</summary>
public static class SettingsLimits
{
    public const int BenchmarkMax = 20;
    public const int ThemeMax = 10;
    public const int MinRefreshSeconds = 5;
    public const int MaxRefreshSeconds = 3600;
    public const double MinRiskFreeRate = -0.05;
    public const double MaxRiskFreeRate = 0.25;
    public static readonly string[] Themes = ["light", "dark", "auto"];
}
