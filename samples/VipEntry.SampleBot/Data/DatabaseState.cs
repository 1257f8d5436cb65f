namespace VipEntry.SampleBot.Data;

/// <summary>Whether the schema has been created (for the webhook's <c>/healthz</c>).</summary>
public sealed class DatabaseState
{
    private volatile bool _ready;

    /// <summary>Whether the database is ready.</summary>
    public bool IsReady
    {
        get => _ready;
        set => _ready = value;
    }
}
