using FinSight.Domain;
using FinSight.Web.Data;
using FinSight.Web.Infrastructure;

namespace FinSight.Web.Features.Transactions;

/// <summary>
/// A transaction as clients send it. Which fields apply depends on <c>type</c>:
/// buy/sell: symbol, quantity, price, fees (optional); dividend: symbol, amount;
/// split: symbol, split_numerator, split_denominator (4 and 1 for a 4-for-1 split);
/// deposit, withdrawal, fee: amount. A field that the type does not use is an error, so nothing
/// sent is silently ignored.
/// </summary>
public sealed record TransactionRequest(
    string? Type,
    string? Symbol,
    decimal? Quantity,
    decimal? Price,
    decimal? Fees,
    decimal? Amount,
    decimal? SplitNumerator,
    decimal? SplitDenominator,
    DateOnly? Date,
    string? Notes,
    Guid? PortfolioId);

/// <summary>A validated transaction, ready to be stored.</summary>
public sealed record TransactionDraft(
    TransactionType Type, string? Symbol, decimal? Quantity, decimal? Price, decimal? Fees, decimal? Amount,
    decimal? SplitNumerator, decimal? SplitDenominator, DateOnly Date, string? Notes)
{
    /// <summary>Upper bounds that keep every product of quantity and price far inside decimal's range.</summary>
    public const decimal MaxQuantity = 1_000_000_000_000m;
    public const decimal MaxPrice = 1_000_000_000m;
    public const decimal MaxAmount = 1_000_000_000_000m;
    public const int NotesMax = 500;
    private static readonly DateOnly Earliest = new(1900, 1, 1);

    public static TransactionDraft? Validate(TransactionRequest request, DateTimeOffset now, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(request.Type) || !Enum.TryParse<TransactionType>(request.Type.Trim(), ignoreCase: true, out var type)
            || !Enum.IsDefined(type) || int.TryParse(request.Type, out _))
        {
            errors.Add("type", "Must be one of: buy, sell, dividend, split, deposit, withdrawal, fee.");
            return null;
        }

        var date = ValidateDate(request.Date, now, errors);
        string? symbol = null;
        var usesSymbol = type is TransactionType.Buy or TransactionType.Sell or TransactionType.Dividend or TransactionType.Split;
        if (usesSymbol)
        {
            symbol = errors.RequireTicker("symbol", request.Symbol);
        }
        else
        {
            Forbid("symbol", request.Symbol, type, errors);
        }

        if (type is TransactionType.Buy or TransactionType.Sell)
        {
            Range("quantity", request.Quantity, errors, min: 0m, exclusiveMin: true, MaxQuantity);
            Range("price", request.Price, errors, min: 0m, exclusiveMin: false, MaxPrice);
            if (request.Fees is not null)
            {
                Range("fees", request.Fees, errors, min: 0m, exclusiveMin: false, MaxAmount);
            }
            Forbid("amount", request.Amount, type, errors);
        }
        else
        {
            Forbid("quantity", request.Quantity, type, errors);
            Forbid("price", request.Price, type, errors);
            Forbid("fees", request.Fees, type, errors);
        }

        if (type == TransactionType.Split)
        {
            Range("split_numerator", request.SplitNumerator, errors, 0m, exclusiveMin: true, 1_000_000m);
            Range("split_denominator", request.SplitDenominator, errors, 0m, exclusiveMin: true, 1_000_000m);
            Forbid("amount", request.Amount, type, errors);
        }
        else
        {
            Forbid("split_numerator", request.SplitNumerator, type, errors);
            Forbid("split_denominator", request.SplitDenominator, type, errors);
        }

        if (type is TransactionType.Dividend or TransactionType.Deposit or TransactionType.Withdrawal or TransactionType.Fee)
        {
            Range("amount", request.Amount, errors, 0m, exclusiveMin: true, MaxAmount);
        }

        var notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim();
        if (notes is { Length: > NotesMax })
        {
            errors.Add("notes", $"Must be at most {NotesMax} characters.");
        }

        return errors.IsEmpty
            ? new TransactionDraft(type, symbol, request.Quantity, request.Price, request.Fees ?? (type is TransactionType.Buy or TransactionType.Sell ? 0m : null),
                request.Amount, request.SplitNumerator, request.SplitDenominator, date, notes)
            : null;
    }

    public void ApplyTo(TransactionRecord record)
    {
        record.Type = Type;
        record.Symbol = Symbol;
        record.Quantity = Quantity;
        record.Price = Price;
        record.Fees = Fees;
        record.Amount = Amount;
        record.SplitNumerator = SplitNumerator;
        record.SplitDenominator = SplitDenominator;
        record.Date = Date;
        record.Notes = Notes;
    }

    /// <summary>
    /// The latest trade date accepted: today where the day starts earliest (UTC+14), so nobody's
    /// "today" is rejected as future because of where the server runs.
    /// </summary>
    public static DateOnly LatestDate(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime.AddHours(14));

    internal static DateOnly ValidateDate(DateOnly? value, DateTimeOffset now, ValidationErrors errors, string field = "date")
    {
        if (value is not { } date)
        {
            errors.Add(field, "This field is required (YYYY-MM-DD).");
            return default;
        }
        if (date > LatestDate(now))
        {
            errors.Add(field, "Must not be in the future.");
        }
        else if (date < Earliest)
        {
            errors.Add(field, "Must be 1900-01-01 or later.");
        }
        return date;
    }

    internal static void Range(string field, decimal? value, ValidationErrors errors, decimal min, bool exclusiveMin, decimal max)
    {
        if (value is not { } v)
        {
            errors.Add(field, "This field is required.");
        }
        else if (exclusiveMin ? v <= min : v < min)
        {
            errors.Add(field, exclusiveMin ? $"Must be greater than {min}." : $"Must be {min} or more.");
        }
        else if (v > max)
        {
            errors.Add(field, $"Must be at most {max:#,0}.");
        }
    }

    private static void Forbid(string field, object? value, TransactionType type, ValidationErrors errors)
    {
        if (value is not null && value is not string { Length: 0 })
        {
            errors.Add(field, $"Not used by {type.ToString().ToLowerInvariant()} transactions; leave it out.");
        }
    }
}

/// <summary>A transaction as the API returns it.</summary>
public sealed record TransactionResponse(
    Guid Id, Guid PortfolioId, TransactionType Type, string? Symbol, decimal? Quantity, decimal? Price, decimal? Fees,
    decimal? Amount, decimal? SplitNumerator, decimal? SplitDenominator, DateOnly Date, string? Notes,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TransactionResponse From(TransactionRecord r) => new(
        Id: r.Id, PortfolioId: r.PortfolioId, Type: r.Type, Symbol: r.Symbol, Quantity: r.Quantity, Price: r.Price, Fees: r.Fees,
        Amount: r.Amount, SplitNumerator: r.SplitNumerator, SplitDenominator: r.SplitDenominator, Date: r.Date, Notes: r.Notes,
        CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt);
}

public sealed record TransactionPage(IReadOnlyList<TransactionResponse> Items, int Total, int Offset, int Limit);
