using FinSight.Domain;
using FinSight.Web.Data;
using FinSight.Web.Features.Transactions;

namespace FinSight.Web.Tests.Import;

/// <summary>
/// The adapter over CsvHelper: the line numbers and error messages the README promises ("Line
/// numbers are file lines, the header being line 1"; an unclosed quote is a 400 saying where).
/// </summary>
public sealed class CsvReaderTests
{
    [Fact]
    public void Records_carry_the_file_line_they_start_on()
    {
        // A BOM, CRLF and LF, a blank line and a line of empty values (skipped but counted), a quoted value over two lines.
        var records = CsvReader.Read("\uFEFFdate,notes\r\n\n,\n2025-01-02,\"a, \"\"b\"\"\r\nc\"\n2025-01-03, \"d\" ");

        Assert.Equal([1, 4, 6], records.Select(r => r.Line));
        Assert.Equal<string>(["date", "notes"], records[0].Fields);
        Assert.Equal<string>(["2025-01-02", "a, \"b\"\r\nc"], records[1].Fields);
        Assert.Equal<string>(["2025-01-03", "d"], records[2].Fields);
    }

    [Fact]
    public void A_stray_quote_inside_an_unquoted_value_is_kept_as_written()
    {
        Assert.Equal<string>(["x", "12\" pipe"], Assert.Single(CsvReader.Read("x,12\" pipe")).Fields);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,\"oops\n4,5\n", 3)]
    [InlineData("a,b\n\"two\nlines\",\"oops\n4,5\n", 3)] // the record starts on line 2, the quote on line 3
    [InlineData("a,b\n12\" pipe,\"oops\n", 2)] // behind a stray quote, which alone would be fine
    public void Unclosed_quote_is_an_error_naming_the_line_it_opened_on(string csv, int line)
    {
        var error = Assert.Throws<CsvFormatException>(() => CsvReader.Read(csv));

        Assert.Equal(line, error.Line);
        Assert.Equal($"Line {line}: a quoted value starts here but its closing quote is missing.", error.Message);
    }

    [Theory]
    [InlineData("a,b\n\"x\"y,2\n", 2)]
    [InlineData("a,b\n\"two\nlines\" x,2\n", 3)]
    [InlineData("a,b\n12\" pipe,\"x\"y\n", 2)]
    public void Text_after_a_closing_quote_is_an_error_naming_its_line(string csv, int line)
    {
        var error = Assert.Throws<CsvFormatException>(() => CsvReader.Read(csv));

        Assert.Equal(line, error.Line);
        Assert.StartsWith($"Line {line}: unexpected text after a closing quote.", error.Message, StringComparison.Ordinal);
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
    [InlineData(" padded", "\" padded\"")]
    [InlineData("plain", "plain")]
    public void Cells_are_quoted_only_when_needed(string notes, string cell)
    {
        var csv = TransactionCsv.Write([new TransactionRecord { Type = TransactionType.Deposit, Amount = 5m, Date = new DateOnly(2025, 1, 2), Notes = notes }]);

        // The notes column is followed by the currency columns (a deposit in the default base currency, USD).
        Assert.Equal($"2025-01-02,deposit,,,,,5,,,{cell},USD,,,,\r\n", csv.Split("\r\n", 2)[1]);
    }

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
