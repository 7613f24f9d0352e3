namespace FinSight.Web.Data;

/// <summary>
/// One signed-in browser: the web UI's cookie names its row, and the cookie works only while the
/// row exists. Signing out deletes it; "sign out everywhere", a password change and deleting the
/// account delete all of the user's rows.
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; init; }
    public Guid UserId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the cookie was last issued or renewed (sliding expiry); rows unseen for longer than the cookie lives are pruned.</summary>
    public DateTimeOffset SeenAt { get; set; }
}
