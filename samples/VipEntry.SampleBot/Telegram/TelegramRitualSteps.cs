using System.Globalization;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using VipEntry.Core.Telegram;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Telegram;

/// <summary>The ritual's steps on Telegram: the <c>VipEntry.Core.Telegram</c> package sends the prompts itself.</summary>
/// <param name="vip">The package's entry point.</param>
/// <param name="identity">The bot's username, for deep links.</param>
/// <param name="sweepNow">Runs the channel work after <c>/revoke</c>.</param>
/// <param name="bot">The client, for the channel work of a bulk activation.</param>
/// <param name="options">The VIP chat.</param>
internal sealed class TelegramRitualSteps(IVipEntryTelegram vip, BotIdentity identity, SweepNow sweepNow, ITelegramBotClient bot, IOptions<TelegramOptions> options) : IRitualSteps
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

    public async ValueTask<int> ApplyChannelWorkAsync(IReadOnlyList<string> linksToRevoke, IReadOnlyList<long> removeFromChannel, CancellationToken cancellationToken)
    {
        var chat = options.Value.VipChatId;
        foreach (var link in linksToRevoke)
        {
            await TryAsync(() => bot.RevokeChatInviteLink(chatId: chat, inviteLink: link, cancellationToken: cancellationToken));
        }

        var failed = 0;
        foreach (var id in removeFromChannel)
        {
            var removed = await TryAsync(() => bot.BanChatMember(chatId: chat, userId: id, cancellationToken: cancellationToken))
                && await TryAsync(() => bot.UnbanChatMember(chatId: chat, userId: id, onlyIfBanned: true, cancellationToken: cancellationToken));
            failed += removed ? 0 : 1;
        }

        return failed;
    }

    private static async Task<bool> TryAsync(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (RequestException)
        {
            return false;
        }
    }
}
