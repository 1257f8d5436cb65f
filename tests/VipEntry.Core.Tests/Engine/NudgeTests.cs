using System.Globalization;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class NudgeTests
{
    [Fact]
    public async Task R18_Nudges_are_off_by_default()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ExpectationAlignment);
        await host.IssueAsync(2);
        for (var i = 0; i < 5; i++)
        {
            host.Time.Advance(TimeSpan.FromHours(6));
            var batch = await host.Engine.ClaimNudgesAsync();
            Assert.Empty(batch.Nudges);
            Assert.False(batch.HasMore);
        }

        Assert.Null((await host.RecordAsync(1))!.StageNudgedAt);
    }

    [Fact]
    public async Task R18_Idle_and_expiry_nudges_are_independent_settings_and_are_logged()
    {
        await using var host = new TestHost(o => o.NudgeBeforeExpiry = TimeSpan.FromHours(1));
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation);
        var (_, _) = await host.IssueAsync(2);
        host.Time.Advance(TimeSpan.FromHours(23) + TimeSpan.FromTicks(3));

        var nudge = Assert.Single((await host.Engine.ClaimNudgesAsync()).Nudges);

        Assert.Equal(VipEntryNudgeKind.GrantExpiringSoon, nudge.Kind); // idle nudges are off: member 1 is not handed out
        Assert.Equal(2, nudge.SubscriberId);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 1016 && r.Message.Contains("GrantExpiringSoon", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("en", "Your VIP entry is waiting for you")]
    [InlineData("es", "Tu entrada VIP te está esperando")]
    public async Task R14_R18_Reminder_texts_are_built_in_for_spanish_and_english_and_overridable(string culture, string start)
    {
        await using var host = new TestHost(build: b => b.ConfigureMessages(m => m.SetNotice(VipEntryNotice.LinkExpiringReminder, "en", "Hurry: {expires}")));
        var messages = (IVipEntryMessageProvider)host.Services.GetService(typeof(IVipEntryMessageProvider))!;

        Assert.StartsWith(start, messages.GetNotice(VipEntryNotice.IdleReminder, CultureInfo.GetCultureInfo(culture)), StringComparison.Ordinal);
        Assert.Contains("{expires}", messages.GetNotice(VipEntryNotice.LinkExpiringReminder, CultureInfo.GetCultureInfo("es")), StringComparison.Ordinal);
        Assert.Equal("Hurry: {expires}", messages.GetNotice(VipEntryNotice.LinkExpiringReminder, CultureInfo.GetCultureInfo("en")));
    }
}
