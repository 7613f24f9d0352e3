using System.ComponentModel.DataAnnotations;
using FinSight.Web.Data;
using FinSight.Web.Features.Transactions;

namespace FinSight.Web.Pages.Transactions;

/// <summary>
/// The add/edit form. It is turned into the API's <see cref="TransactionRequest"/>, so the rules
/// and messages are the API's; fields the chosen type does not use are dropped first (the page
/// hides them, but a browser without scripts still posts them).
/// </summary>
public sealed class TransactionForm
{
    public static readonly string[] Types = ["buy", "sell", "dividend", "split", "deposit", "withdrawal", "fee", "exchange"];

    public string Type { get; set; } = "buy";
    public string? Symbol { get; set; }
    public decimal? Quantity { get; set; }
    [Display(Name = "Price per share")]
    public decimal? Price { get; set; }
    public decimal? Fees { get; set; }
    public decimal? Amount { get; set; }
    [Display(Name = "New shares")]
    public decimal? SplitNumerator { get; set; }
    [Display(Name = "For old shares")]
    public decimal? SplitDenominator { get; set; }
    [DataType(DataType.Date)]
    public DateOnly? Date { get; set; }
    public string? Notes { get; set; }
    [Display(Name = "Currency")]
    public string? Currency { get; set; }
    [Display(Name = "Paid from / into cash in")]
    public string? SettlementCurrency { get; set; }
    [Display(Name = "At rate")]
    public decimal? SettlementRate { get; set; }
    [Display(Name = "Into currency")]
    public string? ToCurrency { get; set; }
    [Display(Name = "Amount received")]
    public decimal? ToAmount { get; set; }

    public TransactionRequest ToRequest()
    {
        var type = Type.Trim().ToLowerInvariant();
        var trade = type is "buy" or "sell";
        var withSymbol = trade || type is "dividend" or "split";
        var withAmount = type is "dividend" or "deposit" or "withdrawal" or "fee" or "exchange";
        var settles = trade || type == "dividend";
        return new TransactionRequest(type,
            withSymbol ? Symbol : null, trade ? Quantity : null, trade ? Price : null, trade ? Fees : null,
            withAmount ? Amount : null, type == "split" ? SplitNumerator : null, type == "split" ? SplitDenominator : null,
            Date, Notes, null,
            Currency: type == "split" ? null : Currency, SettlementCurrency: settles ? SettlementCurrency : null, SettlementRate: settles ? SettlementRate : null,
            ToCurrency: type == "exchange" ? ToCurrency : null, ToAmount: type == "exchange" ? ToAmount : null);
    }

    public static TransactionForm From(TransactionRecord r) => new()
    {
        Type = r.Type.ToString().ToLowerInvariant(), Symbol = r.Symbol, Quantity = r.Quantity, Price = r.Price, Fees = r.Fees,
        Amount = r.Amount, SplitNumerator = r.SplitNumerator, SplitDenominator = r.SplitDenominator, Date = r.Date, Notes = r.Notes,
        Currency = r.Type == Domain.TransactionType.Split ? null : r.Currency, SettlementCurrency = r.SettlementCurrency, SettlementRate = r.SettlementRate,
        ToCurrency = r.ToCurrency, ToAmount = r.ToAmount,
    };
}
