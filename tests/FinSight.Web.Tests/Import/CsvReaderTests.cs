using FinSight.Web.Features.Transactions;

namespace FinSight.Web.Tests.Import;

/// <summary>The RFC 4180 reader on its own: quoting, line endings, BOM, blank lines and line numbers.</summary>
public sealed class CsvReaderTests
{
    [Fact]
    public void Plain_records_with_lf_and_crlf_and_no_final_newline()
    {
        var records = CsvReader.Read("a,b,c\r\n1,2,3\n4,5,6");

        Assert.Equal(3, records.Count);
        Assert.Equal<string>(["4", "5", "6"], records[2].Fields);
        Assert.Equal([1, 2, 3], records.Select(r => r.Line));
    }

    [Fact]
    public void Quoted_values_keep_commas_doubled_quotes_and_line_breaks()
    {
        var records = CsvReader.Read("h1,h2\n\"a, b\",\"say \"\"hi\"\"\"\n\"two\r\nlines\",x\nlast,row\n");

        Assert.Equal<string>(["a, b", "say \"hi\""], records[1].Fields);
        Assert.Equal<string>(["two\r\nlines", "x"], records[2].Fields);
        Assert.Equal(3, records[2].Line);
        // The record after a two-line value starts on line 5.
        Assert.Equal(5, records[3].Line);
    }

    [Fact]
    public void Bom_is_dropped_and_blank_lines_are_skipped_but_counted()
    {
        var records = CsvReader.Read("\uFEFFdate,type\n\n,\n2025-01-02,deposit\r\n\r\n");

        Assert.Equal("date", records[0].Fields[0]);
        var row = Assert.Single(records.Skip(1));
        Assert.Equal(4, row.Line);
    }

    [Fact]
    public void Empty_values_and_trailing_empty_value_are_kept()
    {
        var records = CsvReader.Read("a,,\"\",d,\n");

        Assert.Equal<string>(["a", "", "", "d", ""], Assert.Single(records).Fields);
    }

    [Fact]
    public void Lone_cr_ends_a_record()
    {
        var records = CsvReader.Read("a,b\r1,2\r");

        Assert.Equal(2, records.Count);
        Assert.Equal(2, records[1].Line);
    }

    [Fact]
    public void Padding_around_quotes_is_ignored_and_stray_quotes_inside_unquoted_values_are_kept()
    {
        var records = CsvReader.Read("x, \"a,b\" ,12\" pipe");

        Assert.Equal<string>(["x", "a,b", "12\" pipe"], Assert.Single(records).Fields);
    }

    [Fact]
    public void Unclosed_quote_is_an_error_naming_the_line_it_opened_on()
    {
        var error = Assert.Throws<CsvFormatException>(() => CsvReader.Read("a,b\n1,2\n3,\"oops\n4,5\n"));

        Assert.Equal(3, error.Line);
        Assert.Contains("closing quote", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_an_error()
    {
        var error = Assert.Throws<CsvFormatException>(() => CsvReader.Read("a,b\n\"x\"y,2\n"));

        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Empty_input_has_no_records()
    {
        Assert.Empty(CsvReader.Read(""));
        Assert.Empty(CsvReader.Read("\uFEFF\r\n\n"));
    }
}

/// <summary>Pieces of the FinSight format and the broker mapping that are easiest to pin down directly.</summary>
public sealed class TransactionCsvUnitTests
{
    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+1", "'+1")]
    [InlineData("-x", "'-x")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("'=already", "''=already")]
    [InlineData("plain", "plain")]
    [InlineData("it's fine", "it's fine")]
    public void Formula_guard_adds_one_apostrophe_and_is_undone_exactly(string note, string exported)
    {
        Assert.Equal(exported, TransactionCsv.GuardFormula(note));
        Assert.Equal(note, TransactionCsv.UnguardFormula(exported));
    }

    [Theory]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("plain", "plain")]
    public void Cells_are_quoted_only_when_needed(string value, string cell) => Assert.Equal(cell, TransactionCsv.Cell(value));

    [Theory]
    [InlineData("1234.5", "1234.5")]
    [InlineData("$1,234.50", "1234.50")]
    [InlineData("-$1,234.50", "-1234.50")]
    [InlineData("$-1,234.50", "-1234.50")]
    [InlineData("($1,755.00)", "-1755.00")]
    [InlineData("+12", "12")]
    [InlineData(" 0.25 ", "0.25")]
    [InlineData("1,000,000", "1000000")]
    public void Broker_numbers(string text, string expected)
    {
        Assert.True(BrokerCsv.TryParseNumber(text, out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("1,5")]
    [InlineData("12,34.5")]
    [InlineData("abc")]
    [InlineData("1e5")]
    [InlineData("--")]
    public void Broker_numbers_that_would_be_guesses_are_refused(string text) => Assert.False(BrokerCsv.TryParseNumber(text, out _));

    [Theory]
    [InlineData("2024-08-15", "2024-08-15")]
    [InlineData("08/15/2024", "2024-08-15")]
    [InlineData("8/5/2024", "2024-08-05")]
    [InlineData("08/16/2024 as of 08/14/2024", "2024-08-14")]
    [InlineData("2024-08-15T13:45:00Z", "2024-08-15")]
    [InlineData("2024-08-15 13:45", "2024-08-15")]
    public void Broker_dates(string text, string expected)
    {
        Assert.True(BrokerCsv.TryParseDate(text, out var date));
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), date);
    }

    [Theory]
    [InlineData("15/08/2024")]
    [InlineData("Aug 15")]
    [InlineData("Transactions Total")]
    public void Broker_dates_that_are_not_dates(string text) => Assert.False(BrokerCsv.TryParseDate(text, out _));

    [Theory]
    [InlineData("4:1", 4, 1)]
    [InlineData("1-for-10", 1, 10)]
    [InlineData("3 for 2", 3, 2)]
    [InlineData("2/1", 2, 1)]
    public void Split_ratios(string text, int numerator, int denominator)
    {
        Assert.True(BrokerCsv.TryParseRatio(text, out var n, out var d));
        Assert.Equal((numerator, denominator), ((int)n, (int)d));
    }
}
