using System.Buffers.Text;
using System.Security.Cryptography;
using VipEntry.Core.Links;

namespace VipEntry.SampleBot.Terminal;

/// <summary>
/// Stage 3 in the terminal: a simulated join-request invite link. Like Telegram's, it holds no secret and is
/// recorded (<see cref="VipEntryLinkIssueResult.Recorded"/>); "joining" redeems it by link.
/// </summary>
internal sealed class TerminalLinkIssuer : IVipEntryLinkIssuer
{
    public ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(VipEntryLinkIssueResult.Recorded("https://t.me/+SIMULATED-" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(9))));
}
