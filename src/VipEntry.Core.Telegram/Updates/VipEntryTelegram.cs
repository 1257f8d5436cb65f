using System.Globalization;
using Microsoft.Extensions.Logging;
using Telegram.Bot.Types;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Channel;
using VipEntry.Core.Telegram.Diagnostics;
using VipEntry.Core.Telegram.Rendering;

namespace VipEntry.Core.Telegram.Updates;

/// <summary>The entry point: routes the ritual's updates to their handlers and leaves every other update to the host.</summary>
/// <param name="engine">The ritual.</param>
/// <param name="callbacks">Button presses.</param>
/// <param name="joinRequests">Join requests.</param>
/// <param name="members">Chat member changes.</param>
/// <param name="lapses">The channel work.</param>
/// <param name="nudges">The reminders.</param>
/// <param name="prompts">Sends steps.</param>
/// <param name="chat">The VIP chat's door.</param>
/// <param name="cultures">The member's culture.</param>
/// <param name="logger">The logger.</param>
internal sealed class VipEntryTelegram(
    IVipEntryStateMachine engine,
    CallbackQueryHandler callbacks,
    JoinRequestHandler joinRequests,
    ChatMemberHandler members,
    LapseProcessor lapses,
    NudgeProcessor nudges,
    PromptSender prompts,
    VipChat chat,
    MemberCultures cultures,
    ILogger<VipEntryTelegram> logger) : IVipEntryTelegram
{
    public ValueTask<bool> HandleUpdateAsync(Update update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        // Telegram.Bot leaves a required field that the JSON lacks null despite its non-nullable type: an update without
        // from, chat or the member objects cannot be attributed to anyone, and must not throw (R11). Such an update is
        // left to the host, except a VipEntry button press, which is still answered so it stops spinning.
        return update switch
        {
            { CallbackQuery: { From: not null } query } => callbacks.HandleAsync(query, cancellationToken),
            { CallbackQuery: { } anonymous } => callbacks.AnswerUnattributedAsync(anonymous, cancellationToken),
            { ChatJoinRequest: { From: not null, Chat: not null } request } => joinRequests.HandleAsync(request, cancellationToken),
            { ChatMember: { Chat: not null, NewChatMember.User: not null, OldChatMember: not null } member } => members.HandleAsync(member, cancellationToken),
            _ => ValueTask.FromResult(false),
        };
    }

    public ValueTask<VipEntryStep> ShowStepAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return ShowStepAsync(user.Id, cultures.For(user.LanguageCode), cancellationToken);
    }

    public async ValueTask<VipEntryStep> ShowStepAsync(long subscriberId, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var step = await engine.GetStepAsync(subscriberId, cultures.For(culture), cancellationToken).ConfigureAwait(false);
        await chat.RevokeLinksAsync(step.Result.LinksToRevoke, cancellationToken).ConfigureAwait(false);
        await prompts.SendAsync(subscriberId, subscriberId, step.Prompt, askMembership: true, cancellationToken).ConfigureAwait(false);
        return step;
    }

    public ValueTask<VipEntryResult> ActivateAsync(User user, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return ActivateAsync(user.Id, subscriptionEndsAt, cultures.For(user.LanguageCode), cancellationToken);
    }

    public async ValueTask<VipEntryResult> ActivateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        // A completed member's lapse may be in a worker's hands, half done (banned, the unban not yet made or failed); the
        // renewal below cancels that work (R17), so the renewal lifts any ban itself. Which lapse state the status shows
        // does not matter: a worker may claim between this read and the renewal.
        var before = await engine.GetStatusAsync(subscriberId, cancellationToken).ConfigureAwait(false);
        var result = await engine.ActivateAsync(subscriberId, subscriptionEndsAt, cancellationToken).ConfigureAwait(false);
        if (result.RemoveFromChannel && !await chat.RemoveWithoutBanAsync(subscriberId, cancellationToken).ConfigureAwait(false))
        {
            // The engine owes no record of this removal (R2): the log is what an admin acts on. The member paid: staying
            // inside while they walk the ritual again costs nothing, and no ban was placed that could lock them out.
            TelegramLog.RenewalRemovalFailed(logger, subscriberId);
        }
        else if (!result.RemoveFromChannel && result.Outcome == VipEntryOutcome.Restarted && before.Stage == VipEntryStage.Completed
            && !await chat.LiftBanAsync(subscriberId, cancellationToken).ConfigureAwait(false))
        {
            TelegramLog.RenewalBanNotLifted(logger, subscriberId);
        }

        await chat.RevokeLinksAsync(result.LinksToRevoke, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded || result.Outcome == VipEntryOutcome.AtStage)
        {
            await ShowStepAsync(subscriberId, culture, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    public async ValueTask<int> HandleLapsesAsync(CancellationToken cancellationToken = default)
    {
        var report = await lapses.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        return report.Confirmed;
    }

    /// <inheritdoc />
    public async ValueTask<int> SendNudgesAsync(CancellationToken cancellationToken = default) =>
        await nudges.RunOnceAsync(cancellationToken).ConfigureAwait(false);
}
