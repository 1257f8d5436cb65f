namespace VipEntry.SampleBot.Ritual;

/// <summary>Wakes the sweep before its interval (after <c>/revoke</c>), so removal does not wait a full minute.</summary>
public sealed class SweepSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Asks for a sweep as soon as possible. Several requests before it runs make one sweep.</summary>
    public void Request()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // A sweep is already requested.
        }
    }

    /// <summary>Waits for a request or the interval, whichever comes first.</summary>
    /// <param name="interval">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when it is time to sweep.</returns>
    public Task WaitAsync(TimeSpan interval, CancellationToken cancellationToken) => _signal.WaitAsync(interval, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _signal.Dispose();
}
