namespace FinSight.Web.Pages.Transactions;

/// <summary>What the shared form partial needs: the values and how to label its buttons.</summary>
public sealed record TransactionFormView(TransactionForm Form, string SubmitLabel, string? CancelUrl);
