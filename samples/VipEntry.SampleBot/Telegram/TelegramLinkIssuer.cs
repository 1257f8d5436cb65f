using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using VipEntry.Core.Links;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Diagnostics;

namespace VipEntry.SampleBot.Telegram;

/// <summary>
/// Stage 3 on Telegram: a join-request invite link to the VIP chat that expires with the grant. The engine records
/// it before it is sent (<see cref="VipEntryLinkIssueResult.Recorded"/>), so the join request can be matched to its owner.
/// </summary>
/// <param name="bot">The client.</param>
/// <param name="options">The VIP chat.</param>
/// <param name="logger">The logger.</param>
internal sealed class TelegramLinkIssuer(ITelegramBotClient bot, IOptions<TelegramOptions> options, ILogger<TelegramLinkIssuer> logger) : IVipEntryLinkIssuer
{
    public async ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var link = await bot.CreateChatInviteLink(
                chatId: options.Value.VipChatId,
                name: string.Create(CultureInfo.InvariantCulture, $"VIP entry {request.SubscriberId}"),
                expireDate: request.ExpiresAt.UtcDateTime,
                createsJoinRequest: true,
                cancellationToken: cancellationToken);
            return VipEntryLinkIssueResult.Recorded(link.InviteLink);
        }
        catch (RequestException ex)
        {
            SampleLog.ApiCallFailed(logger, ex, "createChatInviteLink");
            return VipEntryLinkIssueResult.Failed("createChatInviteLink failed");
        }
    }
}
