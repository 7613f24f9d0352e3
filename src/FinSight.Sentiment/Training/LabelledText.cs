using System.Text;
using CsvHelper;

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

            var columns = csv.FieldCount >= 2 && csv.GetString(0) == "text" && csv.GetString(1) == "label"
                ? csv.FieldCount switch
                {
                    2 => 2,
                    3 when csv.GetString(2) == "clear_cut" => 3,
                    _ => 0,
                }
                : 0;
            if (columns == 0)
            {
                throw new InvalidDataException("Expected a header 'text,label' or 'text,label,clear_cut'.");
            }

            while (csv.Read())
            {
                if (csv.FieldCount == 1 && csv.GetString(0).Length == 0)
                {
                    continue; // blank line
                }

                if (csv.FieldCount != columns || !int.TryParse(csv.GetString(1), out var code) || code is < 0 or > 2)
                {
                    throw new InvalidDataException(columns == 2
                        ? $"Record {csv.RowNumber}: expected 'text,label' with label 0, 1 or 2."
                        : $"Record {csv.RowNumber}: expected 'text,label,clear_cut' with label 0, 1 or 2.");
                }

                bool? clearCut = columns == 2 ? null : csv.GetString(2) switch
                {
                    "1" => true,
                    "0" => false,
                    _ => throw new InvalidDataException($"Record {csv.RowNumber}: clear_cut must be 0 or 1."),
                };
                rows.Add(new LabelledText(csv.GetString(0), (SentimentLabel)code, clearCut));
            }
        }
        catch (CsvFormatException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }

        return rows;
    }
}
