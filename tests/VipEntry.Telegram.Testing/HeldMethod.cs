namespace VipEntry.Telegram.Testing;

/// <summary>Calls of one Bot API method held unanswered by <see cref="FakeBotApiServer.Hold"/> until <see cref="Release"/> (or disposal).</summary>
public sealed class HeldMethod : IDisposable
{
    private readonly Action _release;

    internal HeldMethod(Action release) => _release = release;

    /// <summary>Answers the held calls and lets later ones through.</summary>
    public void Release() => _release();

    /// <inheritdoc />
    public void Dispose() => Release();
}
