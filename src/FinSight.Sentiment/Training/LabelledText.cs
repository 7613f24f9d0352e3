using System.Text;
using CsvHelper;

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
        // Blank lines stay records (skipped below) so that "Record N" counts them; bad quoting is an error, never a guess.
        var options = new CsvReaderOptions { Separator = ',', HasHeader = false, SkipEmptyLines = false, MalformedData = CsvMalformedDataHandling.Throw };
        using var csv = CsvReader.Create(reader, options, leaveOpen: true);
        var rows = new List<LabelledText>();
        try
        {
            if (!csv.Read())
            {
                return rows;
            }

            if (csv.FieldCount < 2 || csv.GetString(0) != "text" || csv.GetString(1) != "label")
            {
                throw new InvalidDataException("Expected a header 'text,label'.");
            }

            while (csv.Read())
            {
                if (csv.FieldCount == 1 && csv.GetString(0).Length == 0)
                {
                    continue; // blank line
                }

                if (csv.FieldCount != 2 || !int.TryParse(csv.GetString(1), out var code) || code is < 0 or > 2)
                {
                    throw new InvalidDataException($"Record {csv.RowNumber}: expected 'text,label' with label 0, 1 or 2.");
                }

                rows.Add(new LabelledText(csv.GetString(0), (SentimentLabel)code));
            }
        }
        catch (CsvFormatException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }

        return rows;
    }
}
