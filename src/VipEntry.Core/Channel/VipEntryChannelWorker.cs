namespace VipEntry.Core.Channel;

/// <summary>The channel worker's cycle: R19's owed work first, then R17's lapses, then R18's reminders.</summary>
internal sealed class VipEntryChannelWorker(ChannelFactsWork facts, LapseWork lapses, NudgeWork nudges) : IVipEntryChannelWorker
{
    /// <inheritdoc />
    public async ValueTask<VipEntryChannelCycleReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        // Removals before lapses: a lapse is confirmed only once its member is out.
        var report = await facts.RunAsync(cancellationToken).ConfigureAwait(false);
        report = report.Add(await lapses.RunAsync(cancellationToken).ConfigureAwait(false));
        var nudged = await nudges.RunAsync(cancellationToken).ConfigureAwait(false);
        return report with { Nudged = report.Nudged + nudged };
    }

    /// <inheritdoc />
    public ValueTask<VipEntryChannelCycleReport> WorkOnAsync(long personId, CancellationToken cancellationToken = default) =>
        facts.WorkOnAsync(personId, cancellationToken);
}
