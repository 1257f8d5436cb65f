using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.SampleBot.Data;
using VipEntry.SampleBot.Diagnostics;

namespace VipEntry.SampleBot.Ritual;

/// <summary>
/// The one ritual-facing service both transports share: commands, button presses, join requests and the
/// lapse sweep, answered with transport-neutral <see cref="RitualReply"/> values.
/// </summary>
/// <param name="machine">The VipEntry engine.</param>
/// <param name="store">The VipEntry store (read-only look-ups for <c>/status</c>).</param>
/// <param name="codes">Activation codes.</param>
/// <param name="db">The sample's database (pending removals).</param>
/// <param name="transport">The transport's door to the channel.</param>
/// <param name="messages">The library's texts.</param>
/// <param name="sweepSignal">Wakes the sweep after <c>/revoke</c>.</param>
/// <param name="time">The clock.</param>
/// <param name="options">The library's options: the texts' culture is <c>VipEntry__DefaultCulture</c> (en or es built in).</param>
/// <param name="logger">The logger.</param>
public sealed class RitualService(
    IVipEntryStateMachine machine,
    IVipEntryStore store,
    ActivationCodes codes,
    SampleDbContext db,
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
        "  /start          resume where you left off\n" +
        "  /status         your stage and subscription\n" +
        "Admin commands:\n" +
        "  /newcode <days> make a single-use activation code\n" +
        "  /revoke <id>    end a member's subscription now (the sweep removes them)\n" +
        "  /status <id>    a member's stage and subscription\n" +
        "  /funnel         members per stage";

    // Lapses whose transport work keeps failing are given up after this many sweeps (logged as errors).
    private const int MaxRemovalAttempts = 10;

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
    /// A request to join the channel with <paramref name="link"/>: admits only the member the link was issued to
    /// (completing the ritual), then revokes the link; turns anyone else away. A member who already completed
    /// and whose subscription is active is admitted too (e.g. the first approval call failed and they asked again).
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
        if (result.Outcome == VipEntryOutcome.Redeemed || (result.Outcome == VipEntryOutcome.AlreadyCompleted && await IsEntitledAsync(userId, cancellationToken)))
        {
            var admitted = await transport.AdmitAsync(userId, cancellationToken);
            if (admitted)
            {
                // After the approval: the link has done its one job. When the approval failed the link stays usable
                // for its owner (already completed, so admitted next time) and for nobody else (the grant is spent).
                await RevokeAllAsync(result.LinksToRevoke, cancellationToken);
            }

            return admitted
                ? RitualReply.Of(messages.GetNotice(VipEntryNotice.Welcome, culture))
                : RitualReply.Of(messages.GetNotice(VipEntryNotice.TryAgain, culture) + " Use your link again to ask to join.");
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
        return RitualReply.Of(messages.GetNotice(notice, culture));
    }

    /// <summary>Whether a user may be inside the channel: ritual completed and subscription active.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns><see langword="true"/> for an entitled member.</returns>
    public async Task<bool> IsEntitledAsync(long userId, CancellationToken cancellationToken)
    {
        var record = await store.FindAsync(userId, cancellationToken);
        return record is { Stage: VipEntryStage.Completed } && record.IsActiveAt(time.GetUtcNow());
    }

    /// <summary>
    /// Sweeps lapsed subscriptions (looping while the engine says there is more), stores each lapse as a
    /// pending removal, then does the transport work for every pending removal; failures stay for the next sweep.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many lapses this sweep recorded.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var recorded = 0;
        VipEntrySweepResult batch;
        do
        {
            // The engine's lapse marks and our pending removals commit together: a crash in between can
            // neither lose a removal nor report a lapse twice. The EF store shares this DbContext (same scope).
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            batch = await machine.SweepAsync(cancellationToken);
            foreach (var lapse in batch.Lapses)
            {
                db.PendingRemovals.Add(new PendingRemoval
                {
                    SubscriberId = lapse.SubscriberId,
                    LinkToRevoke = lapse.LinkToRevoke,
                    RemoveFromChannel = lapse.ShouldRemoveFromChannel,
                    CreatedAt = time.GetUtcNow(),
                });
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            recorded += batch.Lapses.Count;
        }
        while (batch.HasMore);

        if (recorded > 0)
        {
            SampleLog.Swept(logger, recorded);
        }

        var pending = await db.PendingRemovals.OrderBy(p => p.Id).Take(500).ToListAsync(cancellationToken);
        foreach (var removal in pending)
        {
            await CompleteRemovalAsync(removal, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return recorded;
    }

    private async Task CompleteRemovalAsync(PendingRemoval removal, CancellationToken cancellationToken)
    {
        var done = removal.LinkToRevoke is null || await transport.RevokeLinkAsync(removal.LinkToRevoke, cancellationToken);
        if (done)
        {
            // Only the revoke is retried once it has worked.
            removal.LinkToRevoke = null;
        }

        // A member who renewed and came back in since the lapse was queued must not be thrown out by a stale retry.
        if (done && removal.RemoveFromChannel && await IsEntitledAsync(removal.SubscriberId, cancellationToken))
        {
            db.PendingRemovals.Remove(removal);
            return;
        }

        done = done && (!removal.RemoveFromChannel || await transport.RemoveAsync(removal.SubscriberId, cancellationToken));
        if (done)
        {
            var notice = removal.RemoveFromChannel ? VipEntryNotice.RemovedAfterLapse : VipEntryNotice.SubscriptionExpired;
            await transport.NotifyAsync(removal.SubscriberId, RitualMessage.Plain(messages.GetNotice(notice, _culture)), cancellationToken);
            db.PendingRemovals.Remove(removal);
            return;
        }

        removal.Attempts++;
        if (removal.Attempts >= MaxRemovalAttempts)
        {
            SampleLog.RemovalAbandoned(logger, removal.SubscriberId, removal.Attempts);
            db.PendingRemovals.Remove(removal);
        }
        else
        {
            SampleLog.RemovalFailed(logger, removal.SubscriberId, removal.Attempts);
        }
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

        // A renewal extends from the current end while it is still in the future.
        var now = time.GetUtcNow();
        var current = await store.FindAsync(userId, cancellationToken);
        var from = current is not null && current.SubscriptionEndsAt > now && current.LapseHandledAt is null ? current.SubscriptionEndsAt : now;
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
            // Still inside from the lapsed subscription (R2): retried by the sweep until the removal works.
            db.PendingRemovals.Add(new PendingRemoval { SubscriberId = userId, RemoveFromChannel = true, CreatedAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }

        var record = await store.FindAsync(userId, cancellationToken);
        var until = record is null ? string.Empty : $" until {FormatInstant(record.SubscriptionEndsAt)}";
        var next = await machine.GetStepAsync(userId, culture, cancellationToken);
        await RevokeAllAsync(next.Result.LinksToRevoke, cancellationToken);
        var renewedAfterLapse = result.RemoveFromChannel ? " Your previous subscription had ended, so you walk the entry again and get a fresh link." : string.Empty;
        return new RitualReply([RitualMessage.Plain($"Subscription active{until} ({days} days added).{renewedAfterLapse}"), ToMessage(next.Prompt)]);
    }

    private async Task<RitualReply> StatusAsync(long? userId, CancellationToken cancellationToken)
    {
        if (userId is not { } id)
        {
            return RitualReply.Of("Usage: /status <userId>");
        }

        var record = await store.FindAsync(id, cancellationToken);
        if (record is null)
        {
            return RitualReply.Of($"User {id}: not enrolled.");
        }

        var now = time.GetUtcNow();
        var subscription = record.IsActiveAt(now)
            ? $"subscription active until {FormatInstant(record.SubscriptionEndsAt)}"
            : $"subscription ended at {FormatInstant(record.SubscriptionEndsAt)}";
        var stage = StageName(record.Stage);
        var link = record.Stage == VipEntryStage.AccessDelivery && record.GrantIssuedAt is { } issued ? $"; link issued {FormatInstant(issued)}" : string.Empty;
        return RitualReply.Of($"User {id}: {stage}; {subscription}{link}.");
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
