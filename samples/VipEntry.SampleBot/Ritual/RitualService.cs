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
/// The one ritual-facing service both transports share: the member and admin commands, answered with transport-neutral
/// <see cref="RitualReply"/> values. The ritual's own steps (showing a step, activating) are the transport's
/// <see cref="IRitualSteps"/>: the Telegram package on Telegram, <see cref="EngineRitual"/> in the terminal.
/// </summary>
/// <param name="machine">The VipEntry engine: the only way this service reads or changes ritual state.</param>
/// <param name="codes">Activation codes.</param>
/// <param name="steps">The transport's side of the ritual.</param>
/// <param name="messages">The library's texts.</param>
/// <param name="time">The clock.</param>
/// <param name="options">The library's options: the texts' culture is <c>VipEntry__DefaultCulture</c> (en or es built in).</param>
/// <param name="logger">The logger.</param>
public sealed class RitualService(
    IVipEntryStateMachine machine,
    ActivationCodes codes,
    IRitualSteps steps,
    IVipEntryMessageProvider messages,
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
        "  /buy            subscribe with Telegram Stars (when the bot sells; in the terminal, then type pay)\n" +
        "Admin commands:\n" +
        "  /newcode <days> make a single-use activation code\n" +
        "  /grant <days> <id> [<id> ...]  activate or renew those members for <days> days from now (promotion, import)\n" +
        "  /revoke <id>    end a member's subscription now (the sweep removes them)\n" +
        "  /status <id>    a member's stage and subscription\n" +
        "  /refund <id>    refund a member's last Stars payment (their subscription ends)\n" +
        "  /funnel         members per stage";

    private readonly CultureInfo _culture = CultureInfo.GetCultureInfo(options.Value.DefaultCulture);

    /// <summary>The member's own language when the transport knows it, else <paramref name="fallback"/> (the library then falls back to English).</summary>
    /// <param name="languageCode">Telegram's <c>language_code</c>, untrusted.</param>
    /// <param name="fallback">The default culture.</param>
    /// <returns>The culture.</returns>
    public static CultureInfo CultureOf(string? languageCode, CultureInfo fallback)
    {
        if (string.IsNullOrWhiteSpace(languageCode) || languageCode.Length > 16)
        {
            return fallback;
        }

        try
        {
            return CultureInfo.GetCultureInfo(languageCode, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return fallback;
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
        var parts = (text ?? string.Empty).Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            return RitualReply.Of("Send /help to see what I can do.");
        }

        // "/start@MyBot code" in groups: drop the bot name. Most commands take one word; /grant takes the whole rest.
        var command = parts[0].Split('@', 2)[0].ToLowerInvariant();
        var rest = parts.Length > 1 ? parts[1] : null;
        var argument = rest?.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var culture = CultureOf(user.LanguageCode, _culture);
        return command switch
        {
            "/start" => argument is null ? await ResumeAsync(user, culture, cancellationToken) : await ActivateAsync(user, argument, culture, cancellationToken),
            "/status" when argument is not null => user.IsAdmin ? await StatusAsync(ParseUserId(argument), cancellationToken) : AdminOnly(),
            "/status" => await StatusAsync(user.Id, cancellationToken),
            "/newcode" => user.IsAdmin ? await NewCodeAsync(user.Id, argument, cancellationToken) : AdminOnly(),
            "/revoke" => user.IsAdmin ? await RevokeAsync(user.Id, ParseUserId(argument), cancellationToken) : AdminOnly(),
            "/buy" => await BuyAsync(user, culture, cancellationToken),
            "/refund" => user.IsAdmin ? await RefundAsync(ParseUserId(argument), cancellationToken) : AdminOnly(),
            "/funnel" => user.IsAdmin ? await FunnelAsync(cancellationToken) : AdminOnly(),
            "/grant" => user.IsAdmin ? await GrantAsync(rest, cancellationToken) : AdminOnly(),
            "/help" => RitualReply.Of(HelpText),
            _ => RitualReply.Of("I did not understand that. Send /help to see the commands."),
        };
    }

    private async Task<RitualReply> ResumeAsync(RitualUser user, CultureInfo culture, CancellationToken cancellationToken)
    {
        // Someone without an active subscription is offered one, when the bot sells (issue 17).
        if (!(await machine.GetStatusAsync(user.Id, cancellationToken)).IsActive
            && await steps.OfferAsync(user, culture, cancellationToken) is { Sells: true } offer)
        {
            return new RitualReply([.. offer.ToSend, RitualMessage.Plain("Or ask an admin for an activation link, then open it (or send /start <code>).")]);
        }

        var step = await steps.ShowStepAsync(user, culture, cancellationToken);
        return step.Outcome == VipEntryOutcome.NotEnrolled
            ? new RitualReply([.. step.ToSend, RitualMessage.Plain("Ask an admin for an activation link, then open it (or send /start <code>).")])
            : new RitualReply(step.ToSend);
    }

    private async Task<RitualReply> ActivateAsync(RitualUser user, string code, CultureInfo culture, CancellationToken cancellationToken)
    {
        var userId = user.Id;
        var days = await codes.TryConsumeAsync(code, userId, cancellationToken);
        if (days is null)
        {
            var invalid = RitualMessage.Plain(messages.GetNotice(VipEntryNotice.InvalidLink, culture));
            var status = await machine.GetStatusAsync(userId, cancellationToken);
            if (status.Stage == VipEntryStage.NotEnrolled)
            {
                return new RitualReply([invalid]);
            }

            var step = await steps.ShowStepAsync(user, culture, cancellationToken);
            return new RitualReply([invalid, .. step.ToSend]);
        }

        DateTimeOffset? endsAt = null;
        VipEntryStatus before;
        RitualActivation activation;
        try
        {
            // A renewal extends from the current end while it is still in the future; after a lapse it counts from now.
            var now = time.GetUtcNow();
            before = await machine.GetStatusAsync(userId, cancellationToken);
            var from = before is { IsActive: true, Lapse: VipEntryLapseState.None, SubscriptionEndsAt: { } current } && current > now ? current : now;
            endsAt = from.AddDays(days.Value);
            activation = await steps.ActivateAsync(user, endsAt.Value, culture, cancellationToken);
        }
        catch (Exception)
        {
            // A database error or cancellation: the member is told to try again, so the code must still work unless the
            // activation it paid for was recorded before the failure (then it stays spent, or it would pay twice).
            await ReleaseUnlessActivatedAsync(code, userId, endsAt);
            throw;
        }

        var result = activation.Result;
        SampleLog.Activated(logger, userId, days.Value, result.Outcome);
        if (!result.Succeeded)
        {
            await codes.ReleaseAsync(code, userId, cancellationToken);
            return RitualReply.Of(messages.GetNotice(VipEntryNotice.TryAgain, culture));
        }

        var after = await machine.GetStatusAsync(userId, cancellationToken);
        var until = after.SubscriptionEndsAt is { } ends ? $" until {FormatInstant(ends)}" : string.Empty;
        var renewedAfterLapse = result.Outcome == VipEntryOutcome.Restarted && before.Stage == VipEntryStage.Completed
            ? " Your previous subscription had ended, so you walk the entry again and get a fresh link."
            : string.Empty;
        return new RitualReply([RitualMessage.Plain($"Subscription active{until} ({days} days added).{renewedAfterLapse}"), .. activation.ToSend]);
    }

    // After a failed activation: gives the code back unless the subscription already runs to the end it paid for. Not
    // cancellable (the request's token may be what failed it); a failure here is logged and the code stays spent.
    private async Task ReleaseUnlessActivatedAsync(string code, long userId, DateTimeOffset? endsAt)
    {
        try
        {
            // The store may keep less precision than the clock (PostgreSQL: microseconds); a renewal adds whole days.
            if (endsAt is { } paidFor
                && await machine.GetStatusAsync(userId, CancellationToken.None) is { SubscriptionEndsAt: { } recorded }
                && recorded >= paidFor - TimeSpan.FromSeconds(1))
            {
                return;
            }

            await codes.ReleaseAsync(code, userId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            SampleLog.CodeNotReleased(logger, ex, userId);
        }
    }

    private async Task<RitualReply> BuyAsync(RitualUser user, CultureInfo culture, CancellationToken cancellationToken)
    {
        var offer = await steps.OfferAsync(user, culture, cancellationToken);
        return offer.Sells
            ? new RitualReply(offer.ToSend)
            : RitualReply.Of("This bot does not sell access. Ask an admin for an activation link, then open it (or send /start <code>).");
    }

    private async Task<RitualReply> RefundAsync(long? userId, CancellationToken cancellationToken) =>
        userId is { } id ? RitualReply.Of(await steps.RefundAsync(id, cancellationToken)) : RitualReply.Of("Usage: /refund <userId>");

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
        var link = await steps.FormatActivationLinkAsync(code, cancellationToken);
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
                await steps.SweepSoonAsync(cancellationToken);
                return RitualReply.Of($"User {id}: subscription ended now. The sweep revokes their link and removes them from the channel.");
            case VipEntryOutcome.SubscriptionExpired:
                await steps.SweepSoonAsync(cancellationToken);
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

        // What the renewals owe the channel (a member still inside who walks the ritual again is removed without a ban; a
        // ban a failed removal left is lifted; links are revoked) is recorded by the engine (R19): the channel worker
        // does it, now and, should a call fail, in its next cycles. The sample does none of it itself.
        await steps.SweepSoonAsync(cancellationToken);
        var counts = string.Join(", ", result.Counts.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"));
        return RitualReply.Of($"Granted {days} days to {result.Total} members ({counts}).");
    }

    private async Task<RitualReply> FunnelAsync(CancellationToken cancellationToken)
    {
        var funnel = await machine.GetFunnelAsync(cancellationToken);
        return new RitualReply([new RitualMessage($"Active members per stage ({funnel.Total} in all):", [], funnel)]);
    }

    private static RitualReply AdminOnly() => RitualReply.Of("That command is for admins.");

    private static long? ParseUserId(string? text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? id : null;

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
