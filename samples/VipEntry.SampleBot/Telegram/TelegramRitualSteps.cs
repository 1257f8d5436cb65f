using System.Globalization;
using VipEntry.Core.Telegram;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Telegram;

/// <summary>The ritual's steps on Telegram: the <c>VipEntry.Core.Telegram</c> package sends the prompts itself.</summary>
/// <param name="vip">The package's entry point.</param>
/// <param name="identity">The bot's username, for deep links.</param>
/// <param name="sweepNow">Runs a channel-worker cycle after <c>/revoke</c> and <c>/grant</c>.</param>
internal sealed class TelegramRitualSteps(IVipEntryTelegram vip, BotIdentity identity, SweepNow sweepNow) : IRitualSteps
{
    public async ValueTask<string> FormatActivationLinkAsync(string code, CancellationToken cancellationToken) =>
        $"https://t.me/{await identity.GetUsernameAsync(cancellationToken)}?start={code}";

    public async ValueTask<RitualStepShown> ShowStepAsync(RitualUser user, CultureInfo culture, CancellationToken cancellationToken)
    {
        var step = await vip.ShowStepAsync(user.Id, culture, cancellationToken);
        return new RitualStepShown(step.Result.Outcome, []);
    }

    public async ValueTask<RitualActivation> ActivateAsync(RitualUser user, DateTimeOffset subscriptionEndsAt, CultureInfo culture, CancellationToken cancellationToken) =>
        new(await vip.ActivateAsync(user.Id, subscriptionEndsAt, culture, cancellationToken), []);

    public ValueTask SweepSoonAsync(CancellationToken cancellationToken)
    {
        sweepNow.Request();
        return ValueTask.CompletedTask;
    }
}
