namespace VipEntry.SampleBot.Data;

/// <summary>
/// A Telegram update a replica took in hand (webhook mode), so that the same <c>update_id</c> delivered twice, to one
/// replica or two, is processed once. Table <c>telegram_updates</c>; see <see cref="UpdateClaims"/>.
/// </summary>
public sealed class ProcessedUpdate
{
    /// <summary>Telegram's <c>update_id</c>: the key.</summary>
    public long UpdateId { get; set; }

    /// <summary>Whether it has been processed (its replies sent).</summary>
    public bool Done { get; set; }

    /// <summary>Until when (Unix milliseconds) the claim holds while not done; after that another replica may take it over.</summary>
    public long LeaseUntil { get; set; }

    /// <summary>The claim's token: only its holder marks it done or gives it back.</summary>
    public required string Owner { get; set; }
}
