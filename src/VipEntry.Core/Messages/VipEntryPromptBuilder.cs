// Prompt building: R14 (every text, button label and button kind comes from the message provider, callback data is
// the compact versioned form) and R7's cooldown notice ("try again in 4 minutes").
using System.Globalization;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Messages;

// What the engine shows a member for a result: the stage prompt, the link, or the notice that explains the outcome.
// Holds no state beyond the provider, so one instance serves every call of the engine that owns it.
internal sealed class VipEntryPromptBuilder
{
    private readonly IVipEntryMessageProvider _messages;

    public VipEntryPromptBuilder(IVipEntryMessageProvider messages) => _messages = messages;

    public VipEntryPrompt Build(VipEntryResult result, CultureInfo culture)
    {
        string Notice(VipEntryNotice n) => _messages.GetNotice(n, culture);
        VipEntryButton ReentryButton() => new(Notice(VipEntryNotice.ReentryButton), VipEntryButtonKind.RequestReentry, VipEntryCallbackData.EncodeRequestReentry());

        if (result.Access is { } access)
        {
            var stage3 = _messages.GetStageMessage(VipEntryStage.AccessDelivery, culture);
            var text = stage3.Text.Replace("{expires}", access.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), StringComparison.Ordinal);
            return new VipEntryPrompt(text, new VipEntryButton(stage3.ButtonLabel, VipEntryButtonKind.OpenLink, access.Link));
        }

        return result.Outcome switch
        {
            VipEntryOutcome.NotEnrolled => new(Notice(VipEntryNotice.NotEnrolled), null),
            VipEntryOutcome.AlreadyInside => new(Notice(VipEntryNotice.AlreadyInside), null),
            VipEntryOutcome.AlreadyCompleted => new(Notice(VipEntryNotice.AlreadyCompleted), ReentryButton()),
            VipEntryOutcome.Redeemed or VipEntryOutcome.Readmitted or VipEntryOutcome.Skipped => new(Notice(VipEntryNotice.Welcome), null),
            VipEntryOutcome.SubscriptionExpired => new(Notice(VipEntryNotice.SubscriptionExpired), null),
            VipEntryOutcome.LinkExpired => new(Notice(VipEntryNotice.LinkExpired), NewLinkButton(culture)),
            VipEntryOutcome.AccessAlreadyDelivered => new(Notice(VipEntryNotice.LinkAlreadyDelivered), NewLinkButton(culture)),
            VipEntryOutcome.ReissueTooSoon => new(WithRetryAfter(Notice(VipEntryNotice.ReissueTooSoon), result.RetryAfter, culture), null),
            VipEntryOutcome.LinkIssuerFailed or VipEntryOutcome.Conflict => new(Notice(VipEntryNotice.TryAgain), null),
            _ when result.Stage is VipEntryStage.ActivationConfirmation or VipEntryStage.ExpectationAlignment => StagePrompt(result.Stage, culture),
            _ when result.Stage == VipEntryStage.Completed => new(Notice(VipEntryNotice.AlreadyCompleted), ReentryButton()),
            _ => new(Notice(VipEntryNotice.TryAgain), null),
        };
    }

    // Garbage callback data at stage 3 when no link can be shown again (R11): say so and offer a new link.
    public VipEntryPrompt InvalidLink(CultureInfo culture) =>
        new(_messages.GetNotice(VipEntryNotice.InvalidLink, culture), NewLinkButton(culture));

    // "{retryAfter}" becomes "4 minutes" / "4 minutos" (rounded up; seconds under a minute); "{minutes}" the bare number.
    internal static string WithRetryAfter(string text, TimeSpan? retryAfter, CultureInfo culture)
    {
        var wait = retryAfter is { } r && r > TimeSpan.Zero ? r : TimeSpan.Zero;
        var minutes = (int)Math.Ceiling(wait.TotalMinutes);
        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        var spanish = string.Equals(culture.TwoLetterISOLanguageName, "es", StringComparison.OrdinalIgnoreCase);
        var phrase = (seconds < 60, spanish) switch
        {
            (true, false) => seconds == 1 ? "1 second" : $"{seconds.ToString(CultureInfo.InvariantCulture)} seconds",
            (true, true) => seconds == 1 ? "1 segundo" : $"{seconds.ToString(CultureInfo.InvariantCulture)} segundos",
            (false, false) => minutes == 1 ? "1 minute" : $"{minutes.ToString(CultureInfo.InvariantCulture)} minutes",
            (false, true) => minutes == 1 ? "1 minuto" : $"{minutes.ToString(CultureInfo.InvariantCulture)} minutos",
        };
        return text
            .Replace("{retryAfter}", phrase, StringComparison.Ordinal)
            .Replace("{minutes}", Math.Max(minutes, 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private VipEntryPrompt StagePrompt(VipEntryStage stage, CultureInfo culture)
    {
        var m = _messages.GetStageMessage(stage, culture);
        return new VipEntryPrompt(m.Text, new VipEntryButton(m.ButtonLabel, VipEntryButtonKind.Advance, VipEntryCallbackData.EncodeAdvance(stage)));
    }

    private VipEntryButton NewLinkButton(CultureInfo culture) =>
        new(_messages.GetStageMessage(VipEntryStage.AccessDelivery, culture).ButtonLabel, VipEntryButtonKind.RequestNewLink, VipEntryCallbackData.EncodeRequestNewLink());
}
