using System.Text;

namespace FinSight.Sentiment.Training;

/// <summary>A text with its known sentiment, as read from a training or evaluation file.</summary>
public sealed record LabelledText
{
    public LabelledText(string text, SentimentLabel label)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Enum.IsDefined(label))
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, "Unknown label.");
        }

        Text = text;
        Label = label;
    }

    public string Text { get; }
    public SentimentLabel Label { get; }
}

/// <summary>
/// Reads "text,label" CSV files (RFC 4180: quoted fields may hold commas, doubled quotes and newlines).
/// Labels use the data set's codes: 0 = negative, 1 = positive, 2 = neutral.
/// </summary>
public static class LabelledCsv
{
    public static IReadOnlyList<LabelledText> ReadFile(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader);
    }

    public static IReadOnlyList<LabelledText> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<LabelledText>();
        var header = true;
        var line = 1;
        foreach (var record in Records(reader))
        {
            if (header)
            {
                header = false;
                if (record.Count < 2 || record[0] != "text" || record[1] != "label")
                {
                    throw new InvalidDataException("Expected a header 'text,label'.");
                }

                continue;
            }

            line++;
            if (record.Count == 1 && record[0].Length == 0)
            {
                continue; // blank line
            }

            if (record.Count != 2 || !int.TryParse(record[1], out var code) || code is < 0 or > 2)
            {
                throw new InvalidDataException($"Record {line}: expected 'text,label' with label 0, 1 or 2.");
            }

            rows.Add(new LabelledText(record[0], (SentimentLabel)code));
        }

        return rows;
    }

    private static IEnumerable<List<string>> Records(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        int ch;
        while ((ch = reader.Read()) != -1)
        {
            var c = (char)ch;
            any = true;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                fields.Add(field.ToString());
                field.Clear();
                yield return fields;
                fields = [];
                any = false;
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new InvalidDataException("Unterminated quoted field at end of file.");
        }

        if (any)
        {
            fields.Add(field.ToString());
            yield return fields;
        }
    }
}
