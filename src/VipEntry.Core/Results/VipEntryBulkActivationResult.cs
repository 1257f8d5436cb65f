namespace VipEntry.Core.Results;

/// <summary>What a bulk activation did (<see cref="Engine.IVipEntryStateMachine.ActivateManyAsync"/>).</summary>
public sealed record VipEntryBulkActivationResult
{
    /// <summary>How many members ended with each outcome (only outcomes that occurred): <see cref="VipEntryOutcome.Started"/>,
    /// <see cref="VipEntryOutcome.Renewed"/>, <see cref="VipEntryOutcome.Restarted"/>, <see cref="VipEntryOutcome.AtStage"/>
    /// (the same activation delivered again: unchanged), <see cref="VipEntryOutcome.SubscriptionExpired"/>,
    /// <see cref="VipEntryOutcome.NotEnrolled"/> or <see cref="VipEntryOutcome.Conflict"/>, as <c>ActivateAsync</c> reports them.</summary>
    public required IReadOnlyDictionary<VipEntryOutcome, int> Counts { get; init; }

    /// <summary>Transport links that no longer stand, as the members' <see cref="VipEntryResult.LinksToRevoke"/>; already owed (R19), for information.</summary>
    public IReadOnlyList<string> LinksToRevoke { get; init; } = [];

    /// <summary>Members whose <see cref="VipEntryResult.RemoveFromChannel"/> was set (R2); for information, the channel worker removes them (R19).</summary>
    public IReadOnlyList<long> RemoveFromChannel { get; init; } = [];

    /// <summary>How many members were processed.</summary>
    public int Total => Counts.Values.Sum();

    /// <summary>How many members ended with <paramref name="outcome"/>.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The count (0 when none).</returns>
    public int Count(VipEntryOutcome outcome) => Counts.TryGetValue(outcome, out var n) ? n : 0;

    /// <summary>Adds up member results.</summary>
    internal sealed class Builder
    {
        private readonly Dictionary<VipEntryOutcome, int> _counts = [];
        private readonly List<string> _links = [];
        private readonly List<long> _remove = [];

        public void Add(VipEntryOutcome outcome, int count = 1)
        {
            if (count > 0)
            {
                _counts[outcome] = (_counts.TryGetValue(outcome, out var n) ? n : 0) + count;
            }
        }

        public void Add(VipEntryResult result)
        {
            Add(result.Outcome);
            _links.AddRange(result.LinksToRevoke);
            if (result.RemoveFromChannel)
            {
                _remove.Add(result.SubscriberId);
            }
        }

        public void AddLink(string? link)
        {
            if (link is not null)
            {
                _links.Add(link);
            }
        }

        public void AddRemoval(long subscriberId) => _remove.Add(subscriberId);

        public VipEntryBulkActivationResult Build() => new() { Counts = _counts, LinksToRevoke = _links, RemoveFromChannel = _remove };
    }
}
