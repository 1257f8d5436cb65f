namespace VipEntry.SampleBot.Tests.FakeBotApi;

/// <summary>
/// Holds calls of one Bot API method in flight (recorded, not yet answered) until <see cref="Release"/>, so a test can
/// act while the bot waits for, say, its <c>banChatMember</c>. Calls after the release are answered at once.
/// </summary>
public sealed class CallGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    /// <summary>How many calls have arrived and waited at the gate so far.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Lets every held call, and every later one, be answered.</summary>
    public void Release() => _open.TrySetResult();

    /// <summary>Waits until at least <paramref name="count"/> calls are held at the gate at the same time (it is still closed).</summary>
    public async Task WaitForHeldAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Held < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {Held} calls reached the gate; expected {count}.");
            }

            await Task.Delay(25);
        }
    }

    internal async Task PassAsync(CancellationToken cancellationToken)
    {
        if (_open.Task.IsCompleted)
        {
            return;
        }

        Interlocked.Increment(ref _held);
        await _open.Task.WaitAsync(cancellationToken);
    }
}
