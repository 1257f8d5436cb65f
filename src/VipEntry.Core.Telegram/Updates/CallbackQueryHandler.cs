using Microsoft.Extensions.Logging;
using Telegram.Bot.Types;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Channel;
using VipEntry.Core.Telegram.Diagnostics;
using VipEntry.Core.Telegram.Rendering;
using VipEntry.Core.Telegram.Transport;

namespace VipEntry.Core.Telegram.Updates;

/// <summary>
/// A press of a VipEntry button (<c>vipe:</c> data): answered first, always, so the member's button stops spinning; then the
/// engine handles it (R3, R7, R16) and the next prompt is sent, after which the pressed prompt loses its buttons. A stale
/// or replayed press (<see cref="VipEntryOutcome.StaleStage"/>, or a new-link or re-entry press that finds the live link it
/// would show already delivered) sends nothing new; the pressed prompt loses its buttons.
/// </summary>
/// <param name="engine">The ritual.</param>
/// <param name="messenger">Answers and edits.</param>
/// <param name="prompts">Sends the next prompt.</param>
/// <param name="worker">Revokes replaced links (owed, R19) at once.</param>
/// <param name="logger">The logger.</param>
internal sealed class CallbackQueryHandler(
    IVipEntryStateMachine engine,
    BotMessenger messenger,
    PromptSender prompts,
    IVipEntryChannelWorker worker,
    ILogger<CallbackQueryHandler> logger)
{
    /// <summary>A press without <c>from</c> (malformed): a VipEntry one is answered and nothing else is done.</summary>
    public async ValueTask<bool> AnswerUnattributedAsync(CallbackQuery query, CancellationToken cancellationToken)
    {
        if (!VipEntryCallbackData.IsVipEntryData(query.Data))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(query.Id))
        {
            await messenger.AnswerCallbackAsync(query.Id, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    public async ValueTask<bool> HandleAsync(CallbackQuery query, CancellationToken cancellationToken)
    {
        if (!VipEntryCallbackData.IsVipEntryData(query.Data))
        {
            return false;
        }

        // Answered before the work: Telegram wants an answer within seconds, and a failure below must not leave it spinning.
        await messenger.AnswerCallbackAsync(query.Id, cancellationToken).ConfigureAwait(false);

        var member = query.From.Id;
        var culture = await MemberCultures.SeenAsync(engine, query.From, cancellationToken).ConfigureAwait(false);
        var step = await engine.HandleCallbackAsync(member, query.Data, culture, cancellationToken).ConfigureAwait(false);
        TelegramLog.CallbackHandled(logger, member, step.Result.Outcome);
        if (step.Result.LinksToRevoke.Count > 0)
        {
            // The engine recorded them as owed (R19); doing the work now is only sooner than the next cycle.
            await worker.WorkOnAsync(member, cancellationToken).ConfigureAwait(false);
        }

        if (step.Result.Outcome == VipEntryOutcome.InvalidInput)
        {
            // Not a button we know (another version, or forged): nothing to show.
            return true;
        }

        if (IsReplay(query.Data, step.Result.Outcome))
        {
            // A stale or replayed press (a double tap, a retried callback, an older copy of a prompt): what it would show is
            // already in the chat (the next stage's prompt, or the live link an earlier press delivered), so nothing new is
            // sent and the member sees each prompt once (issue 15); /start shows where they are. The pressed prompt only
            // loses its buttons, in place.
            await RemoveButtonsAsync(query, cancellationToken).ConfigureAwait(false);
            return true;
        }

        // The prompt goes where the button was (the private chat with the bot).
        var chatId = query.Message?.Chat.Id ?? member;
        var sent = await prompts.SendAsync(chatId, member, step.Prompt, askMembership: true, cancellationToken).ConfigureAwait(false);
        if (sent.Succeeded)
        {
            await RemoveButtonsAsync(query, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    // StaleStage: an advance from a stage the member has left. AccessShown after a new-link or re-entry press: the live
    // link an earlier press delivered is there already, and /start shows it again (stage 3's link, or a completed
    // member's live re-entry link).
    private static bool IsReplay(string data, VipEntryOutcome outcome) =>
        outcome == VipEntryOutcome.StaleStage
        || (outcome == VipEntryOutcome.AccessShown
            && VipEntryCallbackData.TryDecode(data, out var callback)
            && callback.Action is VipEntryCallbackAction.RequestNewLink or VipEntryCallbackAction.RequestReentry);

    private async ValueTask RemoveButtonsAsync(CallbackQuery query, CancellationToken cancellationToken)
    {
        if (query.Message is { Id: > 0 } pressed)
        {
            await messenger.RemoveButtonsAsync(pressed.Chat.Id, pressed.Id, cancellationToken).ConfigureAwait(false);
        }
    }
}
