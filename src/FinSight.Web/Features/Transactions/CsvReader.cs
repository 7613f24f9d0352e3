using System.Text;
using CsvHelper;

namespace FinSight.Web.Features.Transactions;

/// <summary>One CSV record and the file line it starts on (1-based), so errors can point at it.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>The file cannot be read as CSV at all (or as a transaction file); answered with 400, or 413 for too many rows.</summary>
public sealed class CsvFormatException(string message, int? line = null, int status = StatusCodes.Status400BadRequest) : Exception(message)
{
    public int? Line { get; } = line;
    public int Status { get; } = status;
}

/// <summary>
/// RFC 4180 records with their line numbers, read by CsvHelper: quoted fields may hold commas,
/// doubled quotes and line breaks; CRLF, LF and a lone CR all end a record; a leading BOM is
/// dropped, spaces around a quoted value are padding, and records with nothing but blanks are
/// skipped. A quote inside an unquoted value (12" pipe) is kept as written, as spreadsheets do.
/// An unclosed quote, or text after a closing quote, is an error naming the line: CsvHelper would
/// recover by guessing, which could silently shift every later value into the wrong column.
/// </summary>
public static class CsvReader
{
    private static readonly CsvReaderOptions Options = new()
    {
        Separator = ',',
        HasHeader = false,
        TrimWhitespace = true,
        TrackLineNumbers = true,
    };

    public static List<CsvRecord> Read(string text)
    {
        var malformed = false;
        using var csv = CsvHelper.CsvReader.FromText(text, Options with { OnMalformedRecord = _ => malformed = true });
        var records = new List<CsvRecord>();
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            if (malformed)
            {
                // CsvHelper names only a record's first problem, which may be a harmless stray quote.
                ThrowIfQuotingIsBroken(csv, line);
                malformed = false;
            }
            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = csv.GetString(i);
            }
            if (Array.Exists(fields, f => !string.IsNullOrWhiteSpace(f)))
            {
                records.Add(new CsvRecord(line, fields));
            }
        }
        return records;
    }

    private static void ThrowIfQuotingIsBroken(CsvHelper.CsvReader csv, int line)
    {
        for (var i = 0; i < csv.FieldCount; i++)
        {
            var raw = Encoding.UTF8.GetString(csv.GetRawSpan(i)).TrimStart(' ', '\t');
            if (raw.StartsWith('"'))
            {
                var close = ClosingQuote(raw);
                if (close < 0)
                {
                    throw new CsvFormatException($"Line {line}: a quoted value starts here but its closing quote is missing.", line);
                }
                if (raw.AsSpan(close + 1).Trim(" \t").Length > 0)
                {
                    var at = line + LineBreaks(raw[..close]);
                    throw new CsvFormatException(
                        $"Line {at}: unexpected text after a closing quote. A quote inside a quoted value must be doubled (\"\").", at);
                }
            }
            line += LineBreaks(raw);
        }
    }

    // The index of the quote that closes the value opened at 0 ("" inside is an escaped quote), or -1.
    private static int ClosingQuote(string raw)
    {
        for (var i = 1; i < raw.Length; i++)
        {
            if (raw[i] == '"')
            {
                if (i + 1 < raw.Length && raw[i + 1] == '"')
                {
                    i++;
                    continue;
                }
                return i;
            }
        }
        return -1;
    }

    private static int LineBreaks(string text) => text.ReplaceLineEndings("\n").Count('\n');
}
