using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Globalization;
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class ReentryTests
{
    private static async Task<TestHost> CompletedMemberAsync(long id = 1)
    {
        var host = new TestHost();
        var (link, _) = await host.IssueAsync(id);
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemLinkAsync(id, link)).Outcome);
        return host;
    }

    [Fact]
    public async Task R16_The_completed_notice_offers_the_reentry_button_in_the_callback_codec()
    {
        await using var host = await CompletedMemberAsync();
        var step = await host.Engine.GetStepAsync(1, CultureInfo.GetCultureInfo("es"));

        Assert.Equal(VipEntryOutcome.AlreadyCompleted, step.Result.Outcome);
        var button = Assert.IsType<VipEntryButton>(step.Prompt.Button);
        Assert.Equal(VipEntryButtonKind.RequestReentry, button.Kind);
        Assert.Equal("vipe:1:r", button.Payload);
        Assert.Equal("Pedir un nuevo enlace de entrada", button.Label);
        Assert.True(VipEntryCallbackData.TryDecode(button.Payload, out var decoded));
        Assert.Equal(VipEntryCallbackAction.RequestReentry, decoded.Action);
    }

    [Fact]
    public async Task Defect4_R16_A_completed_paying_member_outside_the_channel_gets_back_in_with_the_reentry_button_as_a_distinct_transition()
    {
        await using var host = await CompletedMemberAsync();
        var before = host.Sink.Events.Count;

        var pressed = await host.Engine.HandleCallbackAsync(1, VipEntryCallbackData.EncodeRequestReentry());

        Assert.Equal(VipEntryOutcome.AccessIssued, pressed.Result.Outcome);
        var link = pressed.Result.Access!.Link;
        Assert.Equal(VipEntryButtonKind.OpenLink, pressed.Prompt.Button!.Kind);
        Assert.Equal(link, pressed.Prompt.Button.Payload);
        Assert.Equal(VipEntryOutcome.Refused, (await host.Engine.RedeemLinkAsync(2, link)).Outcome);

        var readmitted = await host.Engine.RedeemLinkAsync(1, link);

        Assert.Equal(VipEntryOutcome.Readmitted, readmitted.Outcome);
        Assert.True(readmitted.Succeeded);
        var transition = Assert.Single(host.Sink.Events.Skip(before));
        Assert.Equal(VipEntryTrigger.Reenter, transition.Trigger);
        Assert.Equal(VipEntryStage.Completed, transition.From);
        Assert.Equal(VipEntryStage.Completed, transition.To);
        Assert.True(VipEntryStateDiagram.IsPermitted(VipEntryStage.Completed, VipEntryTrigger.Reenter, VipEntryStage.Completed));
    }

    [Fact]
    public async Task R16_Issue15_A_live_reentry_link_is_shown_again_by_the_step_until_it_expires_or_is_used()
    {
        await using var host = await CompletedMemberAsync();
        var issued = await host.Engine.RequestReentryAsync(1);
        Assert.Equal(VipEntryOutcome.AccessIssued, issued.Outcome);
        host.Time.Advance(TimeSpan.FromHours(3).Add(TimeSpan.FromTicks(7_654_321)));

        // While live, the step shows the same link (as stage 3 does), so the member never needs the button again for it.
        var shown = await host.Engine.GetStepAsync(1, CultureInfo.GetCultureInfo("es"));
        Assert.Equal(VipEntryOutcome.AccessShown, shown.Result.Outcome);
        Assert.Equal(VipEntryStage.Completed, shown.Result.Stage);
        Assert.Equal(issued.Access!.Link, shown.Prompt.Button!.Payload);
        Assert.Equal(VipEntryButtonKind.OpenLink, shown.Prompt.Button.Kind);

        // Expired: the completed notice with the re-entry button again.
        host.Time.Advance(TimeSpan.FromHours(21));
        var expired = await host.Engine.GetStepAsync(1);
        Assert.Equal(VipEntryOutcome.AlreadyCompleted, expired.Result.Outcome);
        Assert.Equal(VipEntryButtonKind.RequestReentry, expired.Prompt.Button!.Kind);
    }

    [Fact]
    public async Task R16_Issue15_A_used_reentry_link_is_not_shown_again_by_the_step()
    {
        await using var host = await CompletedMemberAsync();
        var issued = await host.Engine.RequestReentryAsync(1);
        Assert.Equal(VipEntryOutcome.Readmitted, (await host.Engine.RedeemLinkAsync(1, issued.Access!.Link)).Outcome);

        var step = await host.Engine.GetStepAsync(1);

        Assert.Equal(VipEntryOutcome.AlreadyCompleted, step.Result.Outcome);
        Assert.Equal(VipEntryButtonKind.RequestReentry, step.Prompt.Button!.Kind);
    }

    [Fact]
    public async Task R16_Asking_again_too_soon_after_an_unshowable_reentry_link_says_how_long_to_wait()
    {
        await using var host = new TestHost(tokenLinks: true);
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery);
        var token = (await host.Engine.DeliverAccessAsync(1)).Access!.Link;
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(1, token)).Outcome);
        Assert.Equal(VipEntryOutcome.AccessIssued, (await host.Engine.RequestReentryAsync(1)).Outcome);
        host.Time.Advance(TimeSpan.FromSeconds(75.5));

        // A token link is never shown twice; replacing it waits out the cooldown (5 minutes by default).
        var again = await host.Engine.HandleCallbackAsync(1, VipEntryCallbackData.EncodeRequestReentry(), CultureInfo.GetCultureInfo("en"));

        Assert.Equal(VipEntryOutcome.ReissueTooSoon, again.Result.Outcome);
        Assert.Equal(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(75.5), again.Result.RetryAfter);
        Assert.Contains("try again in 4 minutes", again.Prompt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R15_Readmissions_and_confirmed_lapses_are_counted_on_the_VipEntry_meter()
    {
        await using var host = await CompletedMemberAsync();
        using var readmittedCounter = new MetricCollector<long>(host.MeterFactory, VipEntryMetrics.MeterName, "vipentry.access.readmitted");
        using var confirmedCounter = new MetricCollector<long>(host.MeterFactory, VipEntryMetrics.MeterName, "vipentry.lapse.confirmed");

        var link = (await host.Engine.RequestReentryAsync(1)).Access!.Link;
        Assert.Equal(VipEntryOutcome.Readmitted, (await host.Engine.RedeemLinkAsync(1, link)).Outcome);
        host.Time.Advance(TimeSpan.FromDays(31));
        var lapse = Assert.Single((await host.Engine.SweepAsync()).Lapses);
        await host.Engine.ConfirmLapseHandledAsync(lapse);

        Assert.Equal(1, readmittedCounter.GetMeasurementSnapshot().Sum(m => m.Value));
        var confirmed = Assert.Single(confirmedCounter.GetMeasurementSnapshot());
        Assert.Equal(nameof(VipEntryOutcome.LapseConfirmed), confirmed.Tags["vipentry.outcome"]);
    }
}
