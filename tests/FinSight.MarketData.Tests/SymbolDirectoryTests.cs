using FinSight.MarketData.Directory;

namespace FinSight.MarketData.Tests;

public sealed class SymbolDirectoryTests
{
    // The shared copies live next to the repository; they are read in place, never copied in.
    private static string SymbolsFile(string name)
    {
        var configured = Environment.GetEnvironmentVariable("FINSIGHT_SYMBOLS_DIR");
        if (configured is not null)
        {
            return Path.Combine(configured, name);
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "symbols", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"Set FINSIGHT_SYMBOLS_DIR to the folder holding {name}.");
    }

    private static IReadOnlyList<SymbolDirectoryEntry> Load(Func<TextReader, IReadOnlyList<SymbolDirectoryEntry>> parse, string file)
    {
        using var reader = File.OpenText(SymbolsFile(file));
        return parse(reader);
    }

    [Fact]
    public void Nasdaq_listed_copy_parses_cleans_names_and_drops_test_issues()
    {
        var entries = Load(SymbolDirectoryParser.ParseNasdaqListed, "nasdaq-listed.csv");

        Assert.True(entries.Count > 5000);
        var apple = Assert.Single(entries, e => e.Symbol == "AAPL");
        Assert.Equal(("Apple Inc.", "NASDAQ", SecurityType.Stock), (apple.Name, apple.Exchange, apple.Type));
        Assert.DoesNotContain(entries, e => e.Symbol is "ZVZZT" or "ZXZZT" or "ZXYZ.A");
        Assert.Equal(SecurityType.Etf, entries.Single(e => e.Symbol == "QQQ").Type);
    }

    [Fact]
    public void Other_listed_copy_maps_exchange_codes_and_the_etf_flag()
    {
        var entries = Load(SymbolDirectoryParser.ParseOtherListed, "other-listed.csv");

        Assert.True(entries.Count > 7000);
        Assert.Equal(("NYSE", SecurityType.Stock), entries.Single(e => e.Symbol == "BRK.B") is var b ? (b.Exchange, b.Type) : default);
        Assert.Equal(("NYSE Arca", SecurityType.Etf), entries.Single(e => e.Symbol == "SPY") is var s ? (s.Exchange, s.Type) : default);
        Assert.Equal("Agilent Technologies, Inc.", entries.Single(e => e.Symbol == "A").Name);
    }

    [Fact]
    public void Live_pipe_format_skips_the_trailer_and_flagged_test_issues()
    {
        const string file = """
            Symbol|Security Name|Market Category|Test Issue|Financial Status|Round Lot Size|ETF|NextShares
            AAPL|Apple Inc. - Common Stock|Q|N|N|100|N|N
            QQQ|Invesco QQQ Trust, Series 1|G|N|N|100|Y|N
            ZAZZT|Tick Pilot Test Stock Class A Common Stock|G|Y|N|100|N|N
            File Creation Time: 1121202608:31|||||||
            """;

        var entries = SymbolDirectoryParser.ParseNasdaqListed(new StringReader(file));

        Assert.Equal(["AAPL", "QQQ"], entries.Select(e => e.Symbol));
        Assert.Equal(SecurityType.Etf, entries[1].Type);
        Assert.Equal("Invesco QQQ Trust, Series 1", entries[1].Name);
    }

    [Fact]
    public async Task Live_files_download_and_merge_with_starter_sectors()
    {
        await using var server = await Infrastructure.LoopbackServer.StartAsync(context => Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(
            context.Response,
            context.Request.Path == "/nasdaqlisted.txt"
                ? "Symbol|Security Name|Market Category|Test Issue|Financial Status|Round Lot Size|ETF|NextShares\nMSFT|Microsoft Corporation - Common Stock|Q|N|N|100|N|N\nFile Creation Time: 1121202608:31|||||||\n"
                : "ACT Symbol|Security Name|Exchange|CQS Symbol|ETF|Round Lot Size|Test Issue|NASDAQ Symbol\nSPY|SPDR S&P 500 ETF Trust|P|SPY|Y|100|N|SPY\nFile Creation Time: 1121202608:31|||||||\n"));
        using var http = new HttpClient();

        var entries = await SymbolDirectoryDownloader.DownloadAsync(http, null,
            new Uri(server.BaseUrl, "nasdaqlisted.txt"), new Uri(server.BaseUrl, "otherlisted.txt"));

        Assert.Equal(["MSFT", "SPY"], entries.Select(e => e.Symbol));
        Assert.Equal("Information Technology", entries[0].Sector);
        Assert.Equal(("NYSE Arca", SecurityType.Etf), (entries[1].Exchange, entries[1].Type));
    }

    [Fact]
    public void Sp500_sectors_are_merged_in()
    {
        using var sp = File.OpenText(SymbolsFile("sp500-constituents.csv"));
        var sectors = SymbolDirectoryParser.ParseSp500(sp);
        var all = SymbolDirectoryParser.Merge(
            Load(SymbolDirectoryParser.ParseNasdaqListed, "nasdaq-listed.csv").Concat(Load(SymbolDirectoryParser.ParseOtherListed, "other-listed.csv")),
            sectors);

        Assert.InRange(sectors.Count, 490, 510);
        Assert.Equal("Information Technology", all.Single(e => e.Symbol == "AAPL").Sector);
        Assert.Equal("Industrial Conglomerates", all.Single(e => e.Symbol == "MMM").Industry);
        Assert.Equal(all.Count, all.Select(e => e.Symbol).Distinct().Count());
    }

    [Fact]
    public void The_embedded_starter_list_covers_big_companies_and_etfs()
    {
        var starter = StarterSymbols.All;

        Assert.InRange(starter.Count, 100, 130);
        Assert.Equal("Information Technology", starter.Single(e => e.Symbol == "MSFT").Sector);
        Assert.Equal(SecurityType.Etf, starter.Single(e => e.Symbol == "SPY").Type);
        Assert.Equal(starter.Count, starter.Select(e => e.Symbol).Distinct().Count());
    }

    [Theory]
    [InlineData("aapl", "AAPL")]
    [InlineData("apple", "AAPL")]
    [InlineData("micro", "MU")]        // symbol prefix beats the name match on Microsoft
    [InlineData("microsoft", "MSFT")]
    [InlineData("gold", "GLD")]         // word inside a name
    [InlineData("V", "V")]              // exact symbol first even when many names contain the letter
    public void Ranking_puts_exact_symbol_then_prefix_then_name_matches_first(string query, string expected)
    {
        Assert.Equal(expected, SymbolSearch.Rank(StarterSymbols.All, query)[0].Symbol);
    }

    [Fact]
    public void Symbol_prefix_matches_are_ordered_by_closeness()
    {
        var ranked = SymbolSearch.Rank(StarterSymbols.All, "GOO");

        Assert.Equal(["GOOG", "GOOGL"], ranked.Take(2).Select(e => e.Symbol));
    }
}
