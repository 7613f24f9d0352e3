namespace FinSight.Web.Data;

/// <summary>One ASP.NET Core Data Protection key (its XML), shared by every instance through the database.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public string Xml { get; set; } = "";
}
