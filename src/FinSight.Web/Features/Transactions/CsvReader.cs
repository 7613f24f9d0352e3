using System.Text;

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
/// A small RFC 4180 reader. Quoted fields may hold commas, doubled quotes and line breaks; CRLF,
/// LF and a lone CR all end a record; a leading BOM is dropped and blank records are skipped.
/// An unclosed quote, or text after a closing quote, is an error naming the line: guessing there
/// would silently shift every later value into the wrong column.
/// </summary>
public static class CsvReader
{
    public static List<CsvRecord> Read(string text)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoteLine = 0;
        var quoted = false;
        var afterQuote = false;
        var i = text.StartsWith('\uFEFF') ? 1 : 0;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            afterQuote = false;
        }

        void EndRecord()
        {
            EndField();
            if (fields.Exists(f => !string.IsNullOrWhiteSpace(f)))
            {
                records.Add(new CsvRecord(recordLine, [.. fields]));
            }
            fields.Clear();
        }

        while (i < text.Length)
        {
            var c = text[i];
            var crlf = c == '\r' && i + 1 < text.Length && text[i + 1] == '\n';
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i += 2;
                    continue;
                }
                if (c == '"')
                {
                    quoted = false;
                    afterQuote = true;
                }
                else
                {
                    field.Append(c);
                    if (crlf)
                    {
                        field.Append('\n');
                        i++;
                    }
                    if (c is '\r' or '\n')
                    {
                        line++;
                    }
                }
                i++;
                continue;
            }

            switch (c)
            {
                case ',':
                    EndField();
                    break;
                case '\r' or '\n':
                    EndRecord();
                    i += crlf ? 1 : 0;
                    line++;
                    recordLine = line;
                    break;
                case ' ' or '\t' when afterQuote:
                    // Padding after a closing quote ("a" ,b) carries no data.
                    break;
                case char when afterQuote:
                    throw new CsvFormatException(
                        $"Line {line}: unexpected text after a closing quote. A quote inside a quoted value must be doubled (\"\").", line);
                case '"' when string.IsNullOrWhiteSpace(field.ToString()):
                    // Spaces before an opening quote are padding too (a, "b, c").
                    field.Clear();
                    quoted = true;
                    quoteLine = line;
                    break;
                default:
                    // A quote inside an unquoted value (12" pipe) is kept as written, as spreadsheets do.
                    field.Append(c);
                    break;
            }
            i++;
        }

        if (quoted)
        {
            throw new CsvFormatException($"Line {quoteLine}: a quoted value starts here but its closing quote is missing.", quoteLine);
        }
        if (fields.Count > 0 || field.Length > 0 || afterQuote)
        {
            EndRecord();
        }
        return records;
    }
}
