namespace FinSight.MarketData.Directory;

/// <summary>One listed security, as the host's stocks table holds it.</summary>
public sealed record SymbolDirectoryEntry
{
    public required string Symbol { get; init => field = Guard.Symbol(value); }
    public required string Name { get; init => field = Guard.NotBlank(value, nameof(Name)); }
    public required string Exchange { get; init => field = Guard.NotBlank(value, nameof(Exchange)); }
    public SecurityType Type { get; init; }
    public string? Sector { get; init; }
    public string? Industry { get; init; }
}
