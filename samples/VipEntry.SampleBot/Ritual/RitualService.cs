using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.SampleBot.Diagnostics;

namespace VipEntry.SampleBot.Ritual;

/// <summary>
/// The one ritual-facing service both transports share: commands, button presses, join requests and the
/// lapse sweep, answered with transport-neutral <see cref="RitualReply"/> values.
/// </summary>
/// <param name="machine">The VipEntry engine: the only way this service reads or changes ritual state.</param>
/// <param name="codes">Activation codes.</param>
/// <param name="transport">The transport's door to the channel.</param>
/// <param name="messages">The library's texts.</param>
/// <param name="sweepSignal">Wakes the sweep after <c>/revoke</c>.</param>
/// <param name="time">The clock.</param>
/// <param name="options">The library's options: the texts' culture is <c>VipEntry__DefaultCulture</c> (en or es built in).</param>
/// <param name="logger">The logger.</param>
public sealed class RitualService(
    IVipEntryStateMachine machine,
    ActivationCodes codes,
    IRitualTransport transport,
    IVipEntryMessageProvider messages,
    SweepSignal sweepSignal,
    TimeProvider time,
    IOptions<VipEntryOptions> options,
    ILogger<RitualService> logger)
{
    /// <summary>The commands, for <c>/help</c>.</summary>
    public const string HelpText =
        "Member commands:\n" +
        "  /start <code>   activate or renew with an activation code, then continue the ritual\n" +
        "  /start          resume where you left off (once completed: a button gets you a new entry link)\n" +
        "  /status         your stage, subscription and whether you can ask for a re-entry link\n" +
        "Admin commands:\n" +
        "  /newcode <days> make a single-use activation code\n" +
        "  /grant <days> <id> [<id> ...]  activate or renew those members for <days> days from now (promotion, import)\n" +
        "  /revoke <id>    end a member's subscription now (the sweep removes them)\n" +
        "  /status <id>    a member's stage and subscription\n" +
        "  /funnel         members per stage";

    private readonly CultureInfo _culture = CultureInfo.GetCultureInfo(options.Value.DefaultCulture);

    // The member's own language when the transport knows it (the library falls back to the default, then English).
    private CultureInfo CultureOf(string? languageCode)
    {
        if (string.IsNullOrWhiteSpace(languageCode) || languageCode.Length > 16)
        {
            return _culture;
        }

        try
        {
            return CultureInfo.GetCultureInfo(languageCode, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return _culture;
        }
    }

    /// <summary>Handles a text message (a command).</summary>
    /// <param name="user">Who sent it.</param>
    /// <param name="text">Untrusted text.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The reply.</returns>
    public async Task<RitualReply> HandleTextAsync(RitualUser user, string? text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var parts = (text ?? string.Empty).Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            return RitualReply.Of("Send /help to see what I can do.");
        }

        // "/start@MyBot code" in groups: drop the bot name.
        var command = parts[0].Split('@', 2)[0].ToLowerInvariant();
        var argument = parts.Length > 1 ? parts[1] : null;
        var culture = CultureOf(user.LanguageCode);
        return command switch
        {
            "/start" => argument is null ? await ResumeAsync(user.Id, culture, cancellationToken) : await ActivateAsync(user.Id, argument, culture, cancellationToken),
            "/status" when argument is not null => user.IsAdmin ? await StatusAsync(ParseUserId(argument), cancellationToken) : AdminOnly(),
            "/status" => await StatusAsync(user.Id, cancellationToken),
            "/newcode" => user.IsAdmin ? await NewCodeAsync(user.Id, argument, cancellationToken) : AdminOnly(),
            "/revoke" => user.IsAdmin ? await RevokeAsync(user.Id, ParseUserId(argument), cancellationToken) : AdminOnly(),
            "/funnel" => user.IsAdmin ? await FunnelAsync(cancellationToken) : AdminOnly(),
            "/grant" => user.IsAdmin ? await GrantAsync(argument, cancellationToken) : AdminOnly(),
            "/help" => RitualReply.Of(HelpText),
            _ => RitualReply.Of("I did not understand that. Send /help to see the commands."),
        };
    }

    /// <summary>Handles a button press carrying VipEntry callback data (untrusted).</summary>
    /// <param name="user">Who pressed.</param>
    /// <param name="callbackData">The data.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The reply; its toast answers the press.</returns>
    public async Task<RitualReply> HandleButtonAsync(RitualUser user, string? callbackData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!VipEntryCallbackData.IsVipEntryData(callbackData))
        {
            return new RitualReply([], "This button is not valid.");
        }

        var step = await machine.HandleCallbackAsync(user.Id, callbackData, CultureOf(user.LanguageCode), cancellationToken);
        await RevokeAllAsync(step.Result.LinksToRevoke, cancellationToken);
        return step.Result.Outcome switch
        {
            VipEntryOutcome.InvalidInput => new RitualReply([], "This button is not valid."),
            VipEntryOutcome.StaleStage => new RitualReply([ToMessage(step.Prompt)], "Already done. Here is where you are."),
            _ => new RitualReply([ToMessage(step.Prompt)]),
        };
    }

    /// <summary>
    /// A request to join the channel with <paramref name="link"/>: admits only the member the link was issued to, when it
    /// completes their ritual (<see cref="VipEntryOutcome.Redeemed"/>) or lets a completed member back in with a re-entry
    /// link (<see cref="VipEntryOutcome.Readmitted"/>, R16), then revokes the link; turns anyone else away, a completed member
    /// with a link that is not a live grant of theirs included (they are shown the re-entry button instead).
    /// </summary>
    /// <param name="userId">Who asks.</param>
    /// <param name="link">The invite link they used (untrusted).</param>
    /// <param name="languageCode">Their language, if the transport knows it.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What to tell the person who asked.</returns>
    public async Task<RitualReply> HandleJoinRequestAsync(long userId, string? link, string? languageCode, CancellationToken cancellationToken)
    {
        var culture = CultureOf(languageCode);
        var result = await machine.RedeemLinkAsync(userId, link, cancellationToken);
        SampleLog.JoinRequest(logger, userId, result.Outcome);
        if (result.Outcome is VipEntryOutcome.Redeemed or VipEntryOutcome.Readmitted)
        {
            var admitted = await transport.AdmitAsync(userId, cancellationToken);

            // The grant is spent whether or not the approval worked: nobody can redeem the link again, so it goes. A member
            // whose approval failed is completed now and gets back in with a re-entry link (R16), offered below.
            await RevokeAllAsync(result.LinksToRevoke, cancellationToken);
            if (admitted)
            {
                return RitualReply.Of(messages.GetNotice(VipEntryNotice.Welcome, culture));
            }

            var completed = await machine.GetStepAsync(userId, culture, cancellationToken);
            return new RitualReply([RitualMessage.Plain(messages.GetNotice(VipEntryNotice.TryAgain, culture)), ToMessage(completed.Prompt)]);
        }

        await transport.RefuseAsync(userId, cancellationToken);
        var notice = result.Outcome switch
        {
            VipEntryOutcome.Refused => VipEntryNotice.Refused,
            VipEntryOutcome.SubscriptionExpired => VipEntryNotice.SubscriptionExpired,
            VipEntryOutcome.LinkExpired => VipEntryNotice.LinkExpired,
            VipEntryOutcome.NotEnrolled => VipEntryNotice.NotEnrolled,
            _ => VipEntryNotice.InvalidLink,
        };
        var refusal = RitualMessage.Plain(messages.GetNotice(notice, culture));
        if (result.Stage != VipEntryStage.Completed)
        {
            return new RitualReply([refusal]);
        }

        // A completed member with someone else's link, or a spent one: their own way in is a re-entry link (the button).
        var step = await machine.GetStepAsync(userId, culture, cancellationToken);
        return step.Result.Outcome == VipEntryOutcome.AlreadyCompleted ? new RitualReply([refusal, ToMessage(step.Prompt)]) : new RitualReply([refusal]);
    }

    /// <summary>Whether a user may be inside the channel: ritual completed and subscription active.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns><see langword="true"/> for an entitled member.</returns>
    public async Task<bool> IsEntitledAsync(long userId, CancellationToken cancellationToken) =>
        (await machine.GetStatusAsync(userId, cancellationToken)).IsEntitled;

    /// <summary>
    /// Sweeps lapsed subscriptions: claims them from the engine (looping while it says there is more) and does each one's
    /// channel work (revoke its link, remove the member), confirms it, then tells the member (R8, R17). A lapse whose channel
    /// work failed is not confirmed: the engine hands it out again, to this process or another, once its lease runs out.
    /// Each claim and confirmation is one statement, so several processes or replicas can sweep at once.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many lapses this sweep claimed.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var claimed = 0;
        var confirmed = 0;
        VipEntrySweepResult batch;
        do
        {
            // Claimed lapses are not handed out again while their lease runs, so a batch whose work failed is not met again here.
            batch = await machine.SweepAsync(cancellationToken);
            claimed += batch.Lapses.Count;
            foreach (var lapse in batch.Lapses)
            {
                if (await HandleLapseAsync(lapse, cancellationToken))
                {
                    confirmed++;
                }
            }
        }
        while (batch.HasMore);

        if (claimed > 0)
        {
            SampleLog.Swept(logger, claimed, confirmed);
        }

        return claimed;
    }

    // The channel work of one claimed lapse; true when it was confirmed.
    private async Task<bool> HandleLapseAsync(VipEntryLapse lapse, CancellationToken cancellationToken)
    {
        var userId = lapse.SubscriberId;

        // Revoking a link and removing a member are harmless to repeat, so a lapse handed out again (IsRetry) just does both.
        var done = lapse.LinkToRevoke is null || await transport.RevokeLinkAsync(lapse.LinkToRevoke, cancellationToken);
        done = done && (!lapse.ShouldRemoveFromChannel || await transport.RemoveAsync(userId, cancellationToken));
        if (!done)
        {
            // Not confirmed, so still owed: the engine hands it out again once the lease runs out (R17).
            SampleLog.LapseWorkFailed(logger, userId, lapse.LeaseExpiresAt);
            return false;
        }

        // Confirm first, then tell the member: only the worker whose confirmation counts speaks to them, so a member is
        // not told twice when a slow worker's lease ran out and another took the lapse over.
        var confirmation = await machine.ConfirmLapseHandledAsync(lapse, cancellationToken);
        switch (confirmation.Outcome)
        {
            case VipEntryOutcome.LapseConfirmed:
                var notice = lapse.ShouldRemoveFromChannel ? VipEntryNotice.RemovedAfterLapse : VipEntryNotice.SubscriptionExpired;

                // The message is a courtesy, not owed channel work: a member who blocked the bot must not keep the lapse open.
                await transport.NotifyAsync(userId, RitualMessage.Plain(messages.GetNotice(notice, _culture)), cancellationToken);
                return true;
            case VipEntryOutcome.EntitledAgain:
                SampleLog.EntitledAgain(logger, userId);
                await LetBackInAsync(lapse, cancellationToken);
                return true;
            default:
                // LapseClaimLost: our lease ran out first; the worker that holds the lapse now does it and tells the member.
                SampleLog.LapseClaimLost(logger, userId, confirmation.Outcome);
                return false;
        }
    }

    // The member renewed while their lapse was being handled (R17): whatever was done to them, they paid, so they get a way
    // back in: a re-entry link when they are completed (R16), else the step of the ritual they are at.
    private async Task LetBackInAsync(VipEntryLapse lapse, CancellationToken cancellationToken)
    {
        var userId = lapse.SubscriberId;
        var step = await machine.GetStepAsync(userId, _culture, cancellationToken);
        await RevokeAllAsync(step.Result.LinksToRevoke, cancellationToken);
        if (step.Result.Outcome != VipEntryOutcome.AlreadyCompleted)
        {
            if (step.Result.Outcome != VipEntryOutcome.NotEnrolled)
            {
                await transport.NotifyAsync(userId, ToMessage(step.Prompt), cancellationToken);
            }

            return;
        }

        if (!lapse.ShouldRemoveFromChannel)
        {
            // Nobody removed them: they were mid-ritual at the lapse and have completed since, through their own link.
            return;
        }

        var reentry = await machine.RequestReentryAsync(userId, cancellationToken);
        await RevokeAllAsync(reentry.LinksToRevoke, cancellationToken);
        var message = reentry.Access is { } access
            ? new RitualMessage(messages.GetNotice(VipEntryNotice.EntitledAgain, _culture), [new VipEntryButton(messages.GetStageMessage(VipEntryStage.AccessDelivery, _culture).ButtonLabel, VipEntryButtonKind.OpenLink, access.Link)])

            // No link right now (e.g. one was issued a moment ago): the completed notice, whose button asks for one.
            : ToMessage(step.Prompt);
        await transport.NotifyAsync(userId, message, cancellationToken);
    }

    private async Task<RitualReply> ResumeAsync(long userId, CultureInfo culture, CancellationToken cancellationToken)
    {
        var step = await machine.GetStepAsync(userId, culture, cancellationToken);
        await RevokeAllAsync(step.Result.LinksToRevoke, cancellationToken);
        if (step.Result.Outcome == VipEntryOutcome.NotEnrolled)
        {
            return new RitualReply([ToMessage(step.Prompt), RitualMessage.Plain("Ask an admin for an activation link, then open it (or send /start <code>).")]);
        }

        return new RitualReply([ToMessage(step.Prompt)]);
    }

    private async Task<RitualReply> ActivateAsync(long userId, string code, CultureInfo culture, CancellationToken cancellationToken)
    {
        var days = await codes.TryConsumeAsync(code, userId, cancellationToken);
        if (days is null)
        {
            var invalid = RitualMessage.Plain(messages.GetNotice(VipEntryNotice.InvalidLink, culture));
            var step = await machine.GetStepAsync(userId, culture, cancellationToken);
            return step.Result.Outcome == VipEntryOutcome.NotEnrolled ? new RitualReply([invalid]) : new RitualReply([invalid, ToMessage(step.Prompt)]);
        }

        // A renewal extends from the current end while it is still in the future; after a lapse it counts from now.
        var now = time.GetUtcNow();
        var before = await machine.GetStatusAsync(userId, cancellationToken);
        var from = before is { IsActive: true, Lapse: VipEntryLapseState.None, SubscriptionEndsAt: { } endsAt } && endsAt > now ? endsAt : now;
        var result = await machine.ActivateAsync(userId, from.AddDays(days.Value), cancellationToken);
        SampleLog.Activated(logger, userId, days.Value, result.Outcome);
        if (!result.Succeeded)
        {
            await codes.ReleaseAsync(code, userId, cancellationToken);
            return RitualReply.Of(messages.GetNotice(VipEntryNotice.TryAgain, culture));
        }

        await RevokeAllAsync(result.LinksToRevoke, cancellationToken);
        if (result.RemoveFromChannel && !await transport.RemoveAsync(userId, cancellationToken))
        {
            // Still inside from the lapsed subscription, which no sweep had taken in hand (R2). Nothing retries this removal,
            // and nothing needs to: the member has just renewed and paid, so staying inside lets no one in who is not
            // entitled; they only skip walking the ritual again this time, and their next join goes through it.
            SampleLog.RenewalRemovalFailed(logger, userId);
        }

        var after = await machine.GetStatusAsync(userId, cancellationToken);
        var until = after.SubscriptionEndsAt is { } ends ? $" until {FormatInstant(ends)}" : string.Empty;
        var next = await machine.GetStepAsync(userId, culture, cancellationToken);
        await RevokeAllAsync(next.Result.LinksToRevoke, cancellationToken);
        var renewedAfterLapse = result.Outcome == VipEntryOutcome.Restarted && before.Stage == VipEntryStage.Completed
            ? " Your previous subscription had ended, so you walk the entry again and get a fresh link."
            : string.Empty;
        return new RitualReply([RitualMessage.Plain($"Subscription active{until} ({days} days added).{renewedAfterLapse}"), ToMessage(next.Prompt)]);
    }

    private async Task<RitualReply> StatusAsync(long? userId, CancellationToken cancellationToken)
    {
        if (userId is not { } id)
        {
            return RitualReply.Of("Usage: /status <userId>");
        }

        // Read-only: unlike /start, this never issues a link.
        var status = await machine.GetStatusAsync(id, cancellationToken);
        if (status.Stage == VipEntryStage.NotEnrolled || status.SubscriptionEndsAt is not { } endsAt)
        {
            return RitualReply.Of($"User {id}: not enrolled.");
        }

        var subscription = status.IsActive
            ? $"subscription active until {FormatInstant(endsAt)}"
            : $"subscription ended at {FormatInstant(endsAt)}";
        var which = status.Stage == VipEntryStage.Completed ? "re-entry link" : "link";
        var link = status.GrantExpiresAt switch
        {
            { } expires when status.HasLiveGrant => $"; {which} valid until {FormatInstant(expires)}",
            { } expires => $"; {which} expired at {FormatInstant(expires)}",
            _ => string.Empty,
        };
        var lapse = status.Lapse switch
        {
            VipEntryLapseState.Pending => "; lapse pending (the next sweep takes it in hand)",
            VipEntryLapseState.Claimed => "; lapse in hand (a sweep is revoking the link or removing from the channel)",
            VipEntryLapseState.Handled when status.Stage == VipEntryStage.Completed => "; removed from the channel after the lapse",
            VipEntryLapseState.Handled => "; lapse handled",
            _ => string.Empty,
        };
        var reentry = status.CanRequestReentry ? "; can ask for a re-entry link (/start, then the button)" : string.Empty;
        return RitualReply.Of($"User {id}: {StageName(status.Stage)}; {subscription}{link}{lapse}{reentry}.");
    }

    private async Task<RitualReply> NewCodeAsync(long adminId, string? argument, CancellationToken cancellationToken)
    {
        if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days < 1 || days > ActivationCodes.MaxDays)
        {
            return RitualReply.Of($"Usage: /newcode <days>, with days from 1 to {ActivationCodes.MaxDays}.");
        }

        var code = await codes.CreateAsync(days, adminId, cancellationToken);
        SampleLog.CodeCreated(logger, adminId, days);
        var link = await transport.FormatActivationLinkAsync(code, cancellationToken);
        return RitualReply.Of($"Activation code for {days} days (single use):\n{link}");
    }

    private async Task<RitualReply> RevokeAsync(long adminId, long? userId, CancellationToken cancellationToken)
    {
        if (userId is not { } id)
        {
            return RitualReply.Of("Usage: /revoke <userId>");
        }

        // Ending the subscription now blocks every ritual step at once (R8); the sweep then removes them.
        var result = await machine.EndSubscriptionAsync(id, cancellationToken);
        switch (result.Outcome)
        {
            case VipEntryOutcome.SubscriptionEnded:
                SampleLog.Revoked(logger, adminId, id);
                sweepSignal.Request();
                return RitualReply.Of($"User {id}: subscription ended now. The sweep revokes their link and removes them from the channel.");
            case VipEntryOutcome.SubscriptionExpired:
                sweepSignal.Request();
                return RitualReply.Of($"User {id}: the subscription has already ended.");
            case VipEntryOutcome.NotEnrolled:
                return RitualReply.Of($"User {id}: not enrolled.");
            default:
                return RitualReply.Of(messages.GetNotice(VipEntryNotice.TryAgain, _culture));
        }
    }

    // Bulk activation (promotions, importing a subscriber list): R1/R2 per member, set-based in the database.
    private async Task<RitualReply> GrantAsync(string? argument, CancellationToken cancellationToken)
    {
        var words = (argument ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ids = words.Skip(1).Select(ParseUserId).ToList();
        if (words.Length < 2 || !int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var days)
            || days < 1 || days > ActivationCodes.MaxDays || ids.Any(id => id is null))
        {
            return RitualReply.Of($"Usage: /grant <days> <id> [<id> ...], with days from 1 to {ActivationCodes.MaxDays}.");
        }

        var ends = time.GetUtcNow().AddDays(days);
        var result = await machine.ActivateManyAsync(ids.Select(id => new VipEntryActivation(id!.Value, ends)), cancellationToken);
        await RevokeAllAsync(result.LinksToRevoke, cancellationToken);
        foreach (var id in result.RemoveFromChannel)
        {
            if (!await transport.RemoveAsync(id, cancellationToken))
            {
                SampleLog.RenewalRemovalFailed(logger, id);
            }
        }

        var counts = string.Join(", ", result.Counts.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"));
        return RitualReply.Of($"Granted {days} days to {result.Total} members ({counts}).");
    }

    private async Task<RitualReply> FunnelAsync(CancellationToken cancellationToken)
    {
        var funnel = await machine.GetFunnelAsync(cancellationToken);
        return new RitualReply([new RitualMessage($"Active members per stage ({funnel.Total} in all):", [], funnel)]);
    }

    private async Task RevokeAllAsync(IReadOnlyList<string> links, CancellationToken cancellationToken)
    {
        foreach (var link in links)
        {
            await transport.RevokeLinkAsync(link, cancellationToken);
        }
    }

    private static RitualReply AdminOnly() => RitualReply.Of("That command is for admins.");

    private static long? ParseUserId(string? text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static RitualMessage ToMessage(VipEntryPrompt prompt) =>
        new(prompt.Text, prompt.Button is null ? [] : [prompt.Button]);

    private static string FormatInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A stage as people read it.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>The name.</returns>
    public static string StageName(VipEntryStage stage) => stage switch
    {
        VipEntryStage.ActivationConfirmation => "stage 1 (activation confirmation)",
        VipEntryStage.ExpectationAlignment => "stage 2 (expectation alignment)",
        VipEntryStage.AccessDelivery => "stage 3 (access delivery)",
        VipEntryStage.Completed => "completed",
        _ => "not enrolled",
    };
}
