using System.Globalization;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Messages;

public sealed class PromptTests
{
    [Fact]
    public async Task R14_The_engine_speaks_the_member_s_culture_with_es_MX_falling_back_to_es()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation);
        var provider = host.Services.GetService(typeof(IVipEntryMessageProvider)) as IVipEntryMessageProvider;

        var mx = await host.Engine.GetStepAsync(1, CultureInfo.GetCultureInfo("es-MX"));
        var en = await host.Engine.GetStepAsync(1, CultureInfo.GetCultureInfo("en-US"));

        var es = provider!.GetStageMessage(VipEntryStage.ActivationConfirmation, CultureInfo.GetCultureInfo("es"));
        Assert.Equal(es.Text, mx.Prompt.Text);
        Assert.Equal(es.ButtonLabel, mx.Prompt.Button!.Label);
        Assert.NotEqual(mx.Prompt.Text, en.Prompt.Text);
        Assert.Equal(VipEntryButtonKind.Advance, mx.Prompt.Button.Kind);
        Assert.Equal("vipe:1:1", mx.Prompt.Button.Payload);
    }

    [Fact]
    public async Task R14_Overrides_registered_through_the_builder_reach_the_prompts()
    {
        var custom = new VipEntryStageMessage("Bienvenido al ritual.", "Sigo", VipEntryButtonKind.Advance);
        await using var host = new TestHost(
            o => o.DefaultCulture = "es",
            build: b => b.ConfigureMessages(m => m.SetStage(VipEntryStage.ActivationConfirmation, "es", custom)));
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation);

        var step = await host.Engine.GetStepAsync(1);

        Assert.Equal("Bienvenido al ritual.", step.Prompt.Text);
        Assert.Equal("Sigo", step.Prompt.Button!.Label);
    }

    [Fact]
    public async Task R14_The_stage_3_prompt_shows_the_expiry_instant_in_UTC()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery);

        var step = await host.Engine.GetStepAsync(1, CultureInfo.GetCultureInfo("en"));

        Assert.Equal(VipEntryOutcome.AccessIssued, step.Result.Outcome);
        Assert.Contains("2026-03-02 12:00 UTC", step.Prompt.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("{expires}", step.Prompt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R14_Expired_link_and_already_completed_notices_come_from_the_provider()
    {
        await using var host = new TestHost(build: b => b.ConfigureMessages(m => m
            .SetNotice(VipEntryNotice.LinkExpired, "en", "custom expired")
            .SetNotice(VipEntryNotice.AlreadyCompleted, "en", "custom done")
            .SetNotice(VipEntryNotice.SubscriptionExpired, "en", "custom ended")));
        await host.IssueAsync(1);
        host.Time.Advance(TimeSpan.FromDays(1));
        var expired = await host.Engine.GetStepAsync(1);
        var (_, token) = await host.IssueAsync(2);
        await host.Engine.RedeemTokenAsync(2, token);
        var done = await host.Engine.GetStepAsync(2);
        await host.WalkToAsync(3, VipEntryStage.ActivationConfirmation, TimeSpan.FromHours(1));
        host.Time.Advance(TimeSpan.FromHours(1));
        var ended = await host.Engine.GetStepAsync(3);

        Assert.Equal("custom expired", expired.Prompt.Text);
        Assert.Equal("custom done", done.Prompt.Text);
        Assert.Equal("custom ended", ended.Prompt.Text);
    }
}
