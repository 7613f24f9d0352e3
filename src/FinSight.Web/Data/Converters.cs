using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FinSight.Web.Data;

/// <summary>Stores a <see cref="DateTimeOffset"/> as UTC ticks so SQLite can sort and compare it.</summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));

/// <summary>
/// Drops the trailing zeros a fixed-scale column adds (PostgreSQL numeric(28,10) returns 1.5 as
/// 1.5000000000), so values read back equal, and print like, the values written.
/// </summary>
internal sealed class NormalizedDecimalConverter() : ValueConverter<decimal, decimal>(
    v => v,
    v => v / 1.000000000000000000000000000000000m);
