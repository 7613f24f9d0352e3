using Npgsql;

namespace FinSight.Web.Data;

/// <summary>
/// Turns the <c>postgres://user:pass@host:port/db?sslmode=require</c> URLs that hosted services
/// (Neon, Heroku, Render) hand out into an Npgsql connection string. Anything that is not such a
/// URL is returned unchanged, so both forms are accepted wherever a connection string is.
/// </summary>
public static class PostgresUrl
{
    public static string ToConnectionString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (!trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("The PostgreSQL URL is not valid; expected postgres://user:password@host:port/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };

        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }
        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(parts[0]).ToLowerInvariant();
            var setting = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
            switch (key)
            {
                case "sslmode":
                    builder.SslMode = Enum.Parse<SslMode>(setting.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
                    break;
                case "channel_binding":
                    builder.ChannelBinding = Enum.Parse<ChannelBinding>(setting, ignoreCase: true);
                    break;
                default:
                    // Unknown URL options (e.g. options=endpoint%3D...) are passed through when
                    // Npgsql knows them, so a provider's extra settings are not silently dropped.
                    if (builder.ContainsKey(key))
                    {
                        builder[key] = setting;
                    }
                    else
                    {
                        throw new FormatException($"The PostgreSQL URL option '{key}' is not supported.");
                    }
                    break;
            }
        }

        return builder.ConnectionString;
    }
}
