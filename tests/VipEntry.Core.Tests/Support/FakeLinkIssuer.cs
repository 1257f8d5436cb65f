using System.Collections.Concurrent;
using VipEntry.Core.Links;

namespace VipEntry.Core.Tests.Support;

/// <summary>A transport issuer that records every request and returns a unique, secret-free invite link.</summary>
public sealed class FakeLinkIssuer : IVipEntryLinkIssuer
{
    private int _counter;

    public ConcurrentQueue<VipEntryLinkRequest> Requests { get; } = new();

    public ConcurrentDictionary<string, string> TokenByLink { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, the next calls return this failure instead of a link.</summary>
    public string? FailWith { get; set; }

    /// <summary>When set, the next calls throw.</summary>
    public bool Throw { get; set; }

    /// <summary>When set, the next calls hang until their cancellation token fires (a Bot API call waiting out 429s).</summary>
    public bool HangUntilCancelled { get; set; }

    /// <summary>Completes when a call starts hanging.</summary>
    public TaskCompletionSource Hanging { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Calls => Requests.Count;

    public VipEntryLinkRequest LastRequest => Requests.Last();

    public async ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Requests.Enqueue(request);
        if (HangUntilCancelled)
        {
            Hanging.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (Throw)
        {
            throw new InvalidOperationException("transport down");
        }

        if (FailWith is { } error)
        {
            return VipEntryLinkIssueResult.Failed(error);
        }

        var link = $"https://t.me/+fake{Interlocked.Increment(ref _counter)}";
        TokenByLink[link] = request.Token.Value;
        return VipEntryLinkIssueResult.Recorded(link);
    }
}
