using System.Text;
using System.Text.Json;
using FinSight.Web.Features.Portfolios;
using Microsoft.Net.Http.Headers;

namespace FinSight.Web.Features.Transactions;

/// <summary>
/// What the import route receives: the file (as a text/csv body or a multipart form's <c>file</c>),
/// decoded to text, and its options. The import itself is <see cref="CsvImporter"/>.
/// </summary>
public static class CsvUpload
{
    private static readonly string[] CsvMediaTypes = ["text/csv", "text/plain", "application/csv", "application/vnd.ms-excel", "application/octet-stream"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The <c>format</c> and <c>mapping</c> query options; a problem (400) when either is not valid.</summary>
    public static WriteProblem? ParseOptions(string? format, string? mapping, out CsvFormat csvFormat, out Dictionary<string, string>? columns)
    {
        columns = null;
        csvFormat = CsvFormat.Auto;
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto":
                break;
            case "finsight":
                csvFormat = CsvFormat.FinSight;
                break;
            default:
                return BadRequest("format must be 'auto' (FinSight or a broker's export, by its header) or 'finsight'.");
        }
        if (string.IsNullOrWhiteSpace(mapping))
        {
            return null;
        }
        if (csvFormat == CsvFormat.FinSight)
        {
            return BadRequest("A mapping is for broker exports: use it with format=auto.");
        }
        Dictionary<string, string>? raw;
        try
        {
            raw = JsonSerializer.Deserialize<Dictionary<string, string>>(mapping);
        }
        catch (JsonException)
        {
            raw = null;
        }
        if (raw is null || raw.Count == 0)
        {
            return BadRequest("mapping must be a JSON object of FinSight field to your column name, e.g. {\"date\":\"Run Date\",\"type\":\"Action\"}.");
        }
        columns = [];
        foreach (var (field, column) in raw)
        {
            var key = field.Trim().ToLowerInvariant();
            if (!BrokerCsv.MappableFields.Contains(key))
            {
                return BadRequest($"mapping: '{field}' is not a FinSight field; use {string.Join(", ", BrokerCsv.MappableFields)}.");
            }
            if (string.IsNullOrWhiteSpace(column))
            {
                return BadRequest($"mapping: the column for '{key}' is empty.");
            }
            columns[key] = column;
        }
        return null;
    }

    /// <summary>The file's text from a <c>text/csv</c> body or a multipart form's <c>file</c> field; a problem (400, 415) when there is none.</summary>
    public static async Task<(string? Text, WriteProblem? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (Exception error) when (error is InvalidDataException or IOException and not BadHttpRequestException)
            {
                // A truncated or boundary-less multipart body; an oversized one stays a 413 (BadHttpRequestException).
                return (null, BadRequest($"The form could not be read: {error.Message}"));
            }
            if (form.Files.GetFile("file") is not { } file)
            {
                return (null, BadRequest("The form has no file in a field named 'file'."));
            }
            await file.CopyToAsync(buffer, ct);
        }
        else if (request.ContentType is null || (MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && CsvMediaTypes.Contains(type.MediaType.Value, StringComparer.OrdinalIgnoreCase)))
        {
            await request.Body.CopyToAsync(buffer, ct);
        }
        else
        {
            return (null, new WriteProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                "Send the file as text/csv, or as multipart/form-data with the file in a field named 'file'.", new Dictionary<string, object?>()));
        }
        return (Decode(buffer.ToArray()), null);
    }

    /// <summary>UTF-8 (with or without BOM), UTF-16 when it has a BOM; a file that is not valid UTF-8 is read as Latin-1, as older spreadsheets write it.</summary>
    private static string Decode(byte[] bytes)
    {
        if (bytes is [0xFF, 0xFE, ..])
        {
            return Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        }
        if (bytes is [0xFE, 0xFF, ..])
        {
            return Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
        }
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    private static WriteProblem BadRequest(string detail) =>
        new(StatusCodes.Status400BadRequest, "The import request is not valid", detail, new Dictionary<string, object?>());
}
