using Microsoft.Extensions.Logging;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Diagnostics;

public sealed class LoggingTests
{
    [Fact]
    public async Task R15_Every_state_change_emits_a_structured_log_event()
    {
        await using var host = new TestHost();
        var (_, token) = await host.IssueAsync(1, TimeSpan.FromDays(2));
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(1, token)).Outcome);
        await host.Engine.ActivateAsync(1, host.Now.AddDays(1));
        await host.WalkToAsync(2, VipEntryStage.ActivationConfirmation);
        await host.Engine.ActivateAsync(2, host.Now.AddDays(40));
        await host.Engine.SkipAsync(2, "admin", "gift");
        await host.Engine.RedeemTokenAsync(3, new string('x', 64));
        host.Time.Advance(TimeSpan.FromDays(1));
        await host.Engine.SweepAsync();

        var logs = host.Logs.GetSnapshot();
        int Count(int id) => logs.Count(r => r.Id.Id == id);

        Assert.Equal(2, Count(1000)); // started
        Assert.Equal(2, Count(1001)); // renewed (kept completed) + renewed (restarted)
        Assert.Equal(2, Count(1002)); // advanced 1->2, 2->3
        Assert.Equal(1, Count(1004)); // issued
        Assert.Equal(1, Count(1006)); // redeemed
        Assert.Equal(1, Count(1007)); // refused
        Assert.Equal(1, Count(1008)); // skipped
        Assert.Equal(1, Count(1009)); // lapsed

        var advanced = logs.First(r => r.Id.Id == 1002);
        Assert.Equal(LogLevel.Information, advanced.Level);
        Assert.Equal("1", advanced.GetStructuredStateValue("SubscriberId"));
        Assert.Equal(nameof(VipEntryStage.ActivationConfirmation), advanced.GetStructuredStateValue("From"));
        Assert.Equal(nameof(VipEntryStage.ExpectationAlignment), advanced.GetStructuredStateValue("To"));
        var renewed = logs.Where(r => r.Id.Id == 1001).Select(r => r.GetStructuredStateValue("Outcome")).ToList();
        Assert.Equal([nameof(VipEntryOutcome.Renewed), nameof(VipEntryOutcome.Restarted)], renewed);
        Assert.Equal("1", logs.Single(r => r.Id.Id == 1009).GetStructuredStateValue("SubscriberId"));
    }

    [Fact]
    public async Task R15_A_stale_advance_changes_no_state_and_logs_no_transition()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ExpectationAlignment);
        var before = await host.RecordAsync(1);
        host.Logs.Clear();

        // A second press of stage 1's button: the member is at stage 2 already.
        var result = await host.Engine.AdvanceAsync(1, VipEntryStage.ActivationConfirmation);

        Assert.Equal(VipEntryOutcome.StaleStage, result.Outcome);
        Assert.Equal(VipEntryStage.ExpectationAlignment, result.Stage);
        var after = await host.RecordAsync(1);
        Assert.Equal(VipEntryStage.ExpectationAlignment, after!.Stage);
        Assert.Equal(before, after);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Id.Id == 1002);
    }
}
