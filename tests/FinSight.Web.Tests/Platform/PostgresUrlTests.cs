using FinSight.Web.Data;
using Npgsql;

namespace FinSight.Web.Tests.Platform;

public sealed class PostgresUrlTests
{
    [Fact]
    public void Neon_style_url_becomes_a_connection_string_with_tls()
    {
        var result = PostgresUrl.ToConnectionString(
            "postgres://alex:p%40ss%3Aword@ep-cool-rain-123.eu-central-1.aws.neon.tech/neondb?sslmode=require&channel_binding=require");

        var builder = new NpgsqlConnectionStringBuilder(result);
        Assert.Equal("ep-cool-rain-123.eu-central-1.aws.neon.tech", builder.Host);
        Assert.Equal(5432, builder.Port);
        Assert.Equal("neondb", builder.Database);
        Assert.Equal("alex", builder.Username);
        Assert.Equal("p@ss:word", builder.Password);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal(ChannelBinding.Require, builder.ChannelBinding);
    }

    [Fact]
    public void Postgresql_scheme_and_explicit_port_are_accepted()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString("postgresql://u:p@db.internal:6543/finsight?sslmode=verify-full"));

        Assert.Equal(6543, builder.Port);
        Assert.Equal("finsight", builder.Database);
        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
    }

    [Fact]
    public void A_plain_connection_string_is_returned_unchanged()
    {
        const string plain = "Host=localhost;Port=5432;Username=postgres;Database=finsight";

        Assert.Equal(plain, PostgresUrl.ToConnectionString(plain));
    }

    [Theory]
    [InlineData("postgres://")]
    [InlineData("postgres://u:p@host/db?sslmode=sometimes")]
    [InlineData("postgres://u:p@host/db?frobnicate=1")]
    public void Malformed_urls_are_rejected_with_a_clear_error(string url)
    {
        Assert.ThrowsAny<Exception>(() => PostgresUrl.ToConnectionString(url));
    }
}
