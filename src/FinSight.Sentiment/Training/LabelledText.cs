using System.Text;

namespace FinSight.Sentiment.Training;

/// <summary>A text with its known sentiment, as read from a training or evaluation file.</summary>
public sealed record LabelledText
{
    /// <param name="text">The text.</param>
    /// <param name="label">Its sentiment.</param>
    /// <param name="clearCut">True when any careful reader would give this label, false when readers could differ, null when the file does not say.</param>
    public LabelledText(string text, SentimentLabel label, bool? clearCut = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Enum.IsDefined(label))
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, "Unknown label.");
        }

        Text = text;
        Label = label;
        ClearCut = clearCut;
    }

    public string Text { get; }
    public SentimentLabel Label { get; }

    /// <summary>
    /// Whether the label is unambiguous (the analogue of "all annotators agree" in public benchmarks); null when unannotated.
    /// </summary>
    public bool? ClearCut { get; }
}

/// <summary>
/// Reads "text,label" CSV files (RFC 4180: quoted fields may hold commas, doubled quotes and newlines).
/// Labels use the data set's codes: 0 = negative, 1 = positive, 2 = neutral. An optional third column
/// "clear_cut" (1 or 0) marks whether the label is unambiguous.
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
        var columns = 0;
        var line = 1;
        foreach (var record in Records(reader))
        {
            if (columns == 0)
            {
                columns = record switch
                {
                    ["text", "label"] => 2,
                    ["text", "label", "clear_cut"] => 3,
                    _ => throw new InvalidDataException("Expected a header 'text,label' or 'text,label,clear_cut'."),
                };
                continue;
            }

            line++;
            if (record.Count == 1 && record[0].Length == 0)
            {
                continue; // blank line
            }

            if (record.Count != columns || !int.TryParse(record[1], out var code) || code is < 0 or > 2)
            {
                throw new InvalidDataException(columns == 2
                    ? $"Record {line}: expected 'text,label' with label 0, 1 or 2."
                    : $"Record {line}: expected 'text,label,clear_cut' with label 0, 1 or 2.");
            }

            bool? clearCut = null;
            if (columns == 3)
            {
                clearCut = record[2] switch
                {
                    "1" => true,
                    "0" => false,
                    _ => throw new InvalidDataException($"Record {line}: clear_cut must be 0 or 1."),
                };
            }

            rows.Add(new LabelledText(record[0], (SentimentLabel)code, clearCut));
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
