using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using VipEntry.Core.Links;
using VipEntry.Core.Telegram.Diagnostics;
using VipEntry.Core.Telegram.Transport;

namespace VipEntry.Core.Telegram.Links;

/// <summary>
/// Stage 3 (and re-entry, R16) on Telegram: a join-request invite link to the VIP chat (<c>creates_join_request</c>),
/// expiring with the grant, named after the member. It holds no secret, so the engine records it before it is sent
/// (<see cref="VipEntryLinkIssueResult.Recorded"/>) and the join request that names it can be matched to its owner (R6).
/// </summary>
/// <param name="bot">The host's client.</param>
/// <param name="call">Turns failures into data.</param>
/// <param name="options">The VIP chat and the link name.</param>
/// <param name="logger">The logger.</param>
internal sealed class TelegramLinkIssuer(ITelegramBotClient bot, TelegramCall call, IOptionsMonitor<VipEntryTelegramOptions> options, ILogger<TelegramLinkIssuer> logger) : IVipEntryLinkIssuer
{
    // Telegram's limit on an invite link's name.
    internal const int MaxNameLength = 32;

    public async ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.CurrentValue;
        var name = LinkName(settings.InviteLinkName, request.SubscriberId);

        // Telegram keeps whole seconds: the link expires at the grant's expiry, or up to a second before it, never after.
        var result = await call.RunAsync(
            "createChatInviteLink",
            ct => bot.CreateChatInviteLink(
                chatId: settings.ChatId,
                name: name,
                expireDate: request.ExpiresAt.UtcDateTime,
                createsJoinRequest: true,
                cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        if (result.Succeeded && !string.IsNullOrWhiteSpace(result.Value?.InviteLink))
        {
            return VipEntryLinkIssueResult.Recorded(result.Value.InviteLink);
        }

        TelegramLog.LinkNotIssued(logger, request.SubscriberId, result.Status, result.ErrorCode);
        return VipEntryLinkIssueResult.Failed(string.Create(CultureInfo.InvariantCulture, $"createChatInviteLink: {result.Status} {result.ErrorCode}"));
    }

    internal static string LinkName(string prefix, long subscriberId)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{prefix} {subscriberId}");
        return name.Length <= MaxNameLength ? name : name[..MaxNameLength];
    }
}
