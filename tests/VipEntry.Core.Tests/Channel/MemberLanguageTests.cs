using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Channel;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Channel;

/// <summary>
/// Issue 15, point 6: a member's language, once seen, is used for everything sent to them without the transport's user at
/// hand (the worker's lapse notice, let-back-in, reminders, a step asked for by id), and reminders (R18) show what the
/// member needs: an unused re-entry link again, and a stage-1 reminder counted from activation. Over the model chat.
/// </summary>
public sealed class MemberLanguageTests
{
    private static readonly TimeSpan Odd = TimeSpan.FromTicks(12_345_678); // 1.2345678 s
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    [Fact]
    public async Task Issue15_Point6_The_lapse_notice_is_in_the_language_seen_once_not_the_default()
    {
        await using var host = Host();
        var chat = Chat(host);
        await CompleteAsync(host, 1, TimeSpan.FromDays(30));
        await host.Engine.RememberCultureAsync(1, Spanish);

        host.Time.Advance(TimeSpan.FromDays(30) + Odd);
        await Worker(host).RunOnceAsync();

        var told = Assert.Single(chat.Told, t => t.PersonId == 1 && t.Notice == VipEntryNotice.RemovedAfterLapse);
        Assert.Equal(Messages(host).GetNotice(VipEntryNotice.RemovedAfterLapse, Spanish), told.Message.Text);
        Assert.NotEqual(Messages(host).GetNotice(VipEntryNotice.RemovedAfterLapse, English), told.Message.Text);
    }

    [Fact]
    public async Task Issue15_Point6_A_step_asked_for_by_id_without_a_culture_uses_the_remembered_language_and_the_record_keeps_it()
    {
        await using var host = Host();
        await host.Engine.RememberCultureAsync(7, Spanish); // seen before they paid (a /start, a press)
        await host.Engine.ActivateAsync(7, host.Now + TimeSpan.FromDays(30));

        var step = await host.Engine.GetStepAsync(7);

        Assert.Equal(Messages(host).GetStageMessage(VipEntryStage.ActivationConfirmation, Spanish).Text, step.Prompt.Text);
        Assert.Equal("es", (await Facts(host, 7))!.Language);
        Assert.Equal(Spanish, await host.Engine.GetCultureAsync(7));
        Assert.Equal(English, await host.Engine.GetCultureAsync(8)); // never seen: the default

        // An explicit culture still wins; remembering the same language again writes nothing (the record is unchanged).
        Assert.Equal(Messages(host).GetStageMessage(VipEntryStage.ActivationConfirmation, English).Text, (await host.Engine.GetStepAsync(7, English)).Prompt.Text);
        var before = await Facts(host, 7);
        await host.Engine.RememberCultureAsync(7, Spanish);
        Assert.Same(before, await Facts(host, 7));
    }

    [Fact]
    public async Task Issue15_Point6_Remembering_a_language_neither_makes_the_facts_due_nor_bumps_their_version()
    {
        await using var host = Host();
        await CompleteAsync(host, 1, TimeSpan.FromDays(30));
        await Worker(host).RunOnceAsync(); // the admission is settled: nothing due
        var settled = (await Facts(host, 1))!;

        await host.Engine.RememberCultureAsync(1, Spanish);

        var after = (await Facts(host, 1))!;
        Assert.Equal("es", after.Language);
        Assert.Equal(settled.Version, after.Version);
        Assert.Equal(settled.DueAt, after.DueAt);
        Assert.True(after.MayBeInside);
    }

    [Fact]
    public async Task Issue15_Point6_R18_A_stage1_reminder_is_counted_from_activation_and_in_the_members_language()
    {
        await using var host = Host(o => o.NudgeIdleAfter = TimeSpan.FromHours(1));
        var chat = Chat(host);
        await host.Engine.RememberCultureAsync(1, Spanish);
        await host.Engine.ActivateAsync(1, host.Now + TimeSpan.FromDays(30));

        // One idle interval after activation, the first pass reminds them: it no longer only starts the clock.
        host.Time.Advance(TimeSpan.FromHours(1) + Odd);
        var cycle = await Worker(host).RunOnceAsync();

        Assert.Equal(1, cycle.Nudged);
        var told = Assert.Single(chat.Told, t => t.PersonId == 1 && t.Notice == VipEntryNotice.IdleReminder);
        Assert.Equal(Messages(host).GetNotice(VipEntryNotice.IdleReminder, Spanish), told.Message.Text);
        var shown = Assert.Single(chat.Shown, s => s.PersonId == 1);
        Assert.Equal(Messages(host).GetStageMessage(VipEntryStage.ActivationConfirmation, Spanish).Text, shown.Step.Prompt.Text);
    }

    [Fact]
    public async Task Issue15_Point6_R18_A_restarted_members_stage1_clock_starts_at_the_renewal()
    {
        await using var host = Host(o => o.NudgeIdleAfter = TimeSpan.FromHours(1));
        await host.WalkToAsync(1, VipEntryStage.ExpectationAlignment, TimeSpan.FromDays(1));
        host.Time.Advance(TimeSpan.FromDays(1) + Odd); // lapsed mid-ritual

        Assert.Equal(VipEntryOutcome.Restarted, (await host.Engine.ActivateAsync(1, host.Now + TimeSpan.FromDays(30))).Outcome);

        Assert.Equal(host.Now, (await host.RecordAsync(1))!.StageEnteredAt!.Value, TimeSpan.FromMicroseconds(1)); // at the store's precision
        host.Time.Advance(TimeSpan.FromHours(1) + Odd);
        var nudge = Assert.Single((await host.Engine.ClaimNudgesAsync()).Nudges);
        Assert.Equal(VipEntryStage.ActivationConfirmation, nudge.Stage);
    }

    [Fact]
    public async Task Issue15_Point6_R18_The_reminder_of_an_unused_reentry_link_shows_the_link_again()
    {
        await using var host = Host(o => o.NudgeBeforeExpiry = TimeSpan.FromHours(1));
        var chat = Chat(host);
        await CompleteAsync(host, 1, TimeSpan.FromDays(30));
        await Worker(host).RunOnceAsync();
        chat.Leave(1);
        await host.Engine.ReportOutsideAsync(1);
        await host.Engine.RememberCultureAsync(1, Spanish);
        var reentry = await host.Engine.RequestReentryAsync(1);
        var link = reentry.Access!.Link;

        host.Time.Advance(host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<VipEntryOptions>>().Value.LinkLifetime - TimeSpan.FromMinutes(30));
        var cycle = await Worker(host).RunOnceAsync();

        Assert.Equal(1, cycle.Nudged);
        var told = Assert.Single(chat.Told, t => t.PersonId == 1 && t.Notice == VipEntryNotice.LinkExpiringReminder);
        Assert.StartsWith(Messages(host).GetNotice(VipEntryNotice.LinkExpiringReminder, Spanish).Split('{')[0], told.Message.Text, StringComparison.Ordinal);
        var shown = Assert.Single(chat.Shown, s => s.PersonId == 1);
        Assert.Equal(VipEntryButtonKind.OpenLink, shown.Step.Prompt.Button!.Kind);
        Assert.Equal(link, shown.Step.Prompt.Button.Payload);
        Assert.NotEqual(Messages(host).GetNotice(VipEntryNotice.AlreadyCompleted, Spanish), shown.Step.Prompt.Text);
    }

    private static TestHost Host(Action<VipEntryOptions>? configure = null) =>
        new(configure, build: b => b.UseChannel<ModelChannel>(w => w.Enabled = false, ServiceLifetime.Singleton));

    private static ModelChannel Chat(TestHost host) => (ModelChannel)host.Services.GetRequiredService<IVipEntryChannel>();

    private static IVipEntryChannelWorker Worker(TestHost host) => host.Services.GetRequiredService<IVipEntryChannelWorker>();

    private static IVipEntryMessageProvider Messages(TestHost host) => host.Services.GetRequiredService<IVipEntryMessageProvider>();

    private static ValueTask<VipEntryChannelRecord?> Facts(TestHost host, long personId) =>
        host.Services.GetRequiredService<IVipEntryChannelStore>().FindAsync(VipEntryOptions.DefaultChannelKey, personId);

    private static async Task CompleteAsync(TestHost host, long id, TimeSpan subscription)
    {
        var engine = host.Engine;
        Assert.Equal(VipEntryOutcome.Started, (await engine.ActivateAsync(id, host.Time.GetUtcNow() + subscription + Odd)).Outcome);
        await engine.AdvanceAsync(id, VipEntryStage.ActivationConfirmation);
        await engine.AdvanceAsync(id, VipEntryStage.ExpectationAlignment);
        var access = (await engine.DeliverAccessAsync(id)).Access!;
        Assert.Equal(VipEntryOutcome.Redeemed, (await engine.RedeemLinkAsync(id, access.Link)).Outcome);
        Chat(host).Join(id);
    }
}
