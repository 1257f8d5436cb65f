using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Faults;

/// <summary>
/// The EF channel store, with each call named in <see cref="ChannelWatch.Current"/> while it runs (so a fault can be aimed
/// at one statement of one method) and the watched method's calls recorded with the table before and after.
/// </summary>
public sealed class WatchedChannelStore(IVipEntryChannelStore inner, ChannelWatch watch) : IVipEntryChannelStore
{
    public ValueTask<VipEntryChannelRecord?> FindAsync(string chat, long personId, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(FindAsync), () => inner.FindAsync(chat, personId, cancellationToken));

    public ValueTask<bool> RememberLanguageAsync(string chat, long personId, string language, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(RememberLanguageAsync), () => inner.RememberLanguageAsync(chat, personId, language, cancellationToken));

    public ValueTask RecordInsideAsync(string chat, long personId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(RecordInsideAsync), () => inner.RecordInsideAsync(chat, personId, now, cancellationToken));

    public ValueTask RecordOutsideAsync(string chat, long personId, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(RecordOutsideAsync), () => inner.RecordOutsideAsync(chat, personId, cancellationToken));

    public ValueTask OweRevocationsAsync(string chat, long personId, IReadOnlyList<string> links, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(OweRevocationsAsync), () => inner.OweRevocationsAsync(chat, personId, links, now, cancellationToken));

    public ValueTask MarkDueAsync(string chat, IReadOnlyCollection<long> personIds, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(MarkDueAsync), () => inner.MarkDueAsync(chat, personIds, now, cancellationToken));

    public ValueTask<IReadOnlyList<VipEntryChannelRecord>> ListDueAsync(string chat, DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(ListDueAsync), () => inner.ListDueAsync(chat, now, maxCount, cancellationToken));

    public ValueTask<bool> TryClaimAsync(VipEntryChannelRecord expected, string claimId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(TryClaimAsync), () => inner.TryClaimAsync(expected, claimId, now, leaseUntil, cancellationToken));

    public ValueTask<bool> TryRecordBanAsync(string chat, long personId, string claimId, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(TryRecordBanAsync), () => inner.TryRecordBanAsync(chat, personId, claimId, cancellationToken));

    public ValueTask<bool> TrySettleAsync(VipEntryChannelSettlement settlement, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(TrySettleAsync), () => inner.TrySettleAsync(settlement, cancellationToken));

    public ValueTask ReleaseAsync(string chat, long personId, string claimId, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(ReleaseAsync), () => inner.ReleaseAsync(chat, personId, claimId, cancellationToken));

    private async ValueTask RunAsync(string method, Func<ValueTask> call) =>
        await RunAsync<bool>(method, async () =>
        {
            await call();
            return true;
        });

    private async ValueTask<T> RunAsync<T>(string method, Func<ValueTask<T>> call)
    {
        var result = await WatchAsync(method, call);
        if (method == watch.Method && watch.AfterNextCall is { } after)
        {
            watch.AfterNextCall = null;
            await after();
        }

        return result;
    }

    private async ValueTask<T> WatchAsync<T>(string method, Func<ValueTask<T>> call)
    {
        var watched = method == watch.Method;
        var countBefore = watch.Injector.Count;
        var before = watched ? await watch.ReadAsync() : "";
        Exception? thrown = null;
        try
        {
            ChannelWatch.Current = method;
            return await call();
        }
        catch (Exception ex)
        {
            thrown = ex;
            throw;
        }
        finally
        {
            ChannelWatch.Current = null;
            if (watched)
            {
                var countAfter = watch.Injector.Count;
                watch.Calls.Add(new WatchedCall(method, countBefore, countAfter, before, await watch.ReadAsync(), thrown));
            }
        }
    }
}
