using System.Security.Cryptography;
using System.Text;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;
using VipEntry.Core.Tokens;

namespace VipEntry.Core.Tests.Engine;

public sealed class AccessGrantTests
{
    [Fact]
    public async Task R5_Entering_stage_3_issues_one_grant_stored_only_as_its_SHA256_hash()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery);
        var issuedAt = host.Now;

        var step = await host.Engine.GetStepAsync(1);

        Assert.Equal(VipEntryOutcome.AccessIssued, step.Result.Outcome);
        var request = Assert.Single(host.Issuer!.Requests);
        Assert.Equal(1, request.SubscriberId);
        var token = request.Token.Value;
        Assert.Equal(64, token.Length);
        Assert.All(token, c => Assert.True(AccessToken.IsAlphabetChar(c)));
        var record = await host.RecordAsync(1);
        var expectedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
        Assert.Equal(expectedHash, record!.GrantTokenHash);
        Assert.Equal(64, record.GrantTokenHash!.Length);
        Assert.Equal(issuedAt, record.GrantIssuedAt);
        Assert.Equal(step.Result.Access!.Link, record.GrantLink);
        Assert.Equal(VipEntryButtonKind.OpenLink, step.Prompt.Button!.Kind);
        Assert.Equal(step.Result.Access.Link, step.Prompt.Button.Payload);
    }

    [Fact]
    public async Task R5_Showing_stage_3_again_while_valid_shows_the_same_link_without_minting()
    {
        await using var host = new TestHost();
        var (link, _) = await host.IssueAsync(1);
        var hash = (await host.RecordAsync(1))!.GrantTokenHash;
        host.Time.Advance(TimeSpan.FromHours(23));

        var again = await host.Engine.GetStepAsync(1);
        var delivered = await host.Engine.DeliverAccessAsync(1);
        var reissue = await host.Engine.ReissueAccessAsync(1);

        Assert.All([again.Result, delivered, reissue], r =>
        {
            Assert.Equal(VipEntryOutcome.AccessShown, r.Outcome);
            Assert.Equal(link, r.Access!.Link);
        });
        Assert.Equal(1, host.Issuer!.Calls);
        Assert.Equal(hash, (await host.RecordAsync(1))!.GrantTokenHash);
    }

    [Fact]
    public async Task R5_A_token_carrying_link_is_shown_once_and_never_stored()
    {
        await using var host = new TestHost(o => o.TokenLinkFormat = "https://t.me/vipbot?start={token}", tokenLinks: true);
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery);

        var first = await host.Engine.DeliverAccessAsync(1);
        var second = await host.Engine.GetStepAsync(1);

        Assert.Equal(VipEntryOutcome.AccessIssued, first.Outcome);
        Assert.StartsWith("https://t.me/vipbot?start=", first.Access!.Link, StringComparison.Ordinal);
        Assert.False(first.Access.CanBeShownAgain);
        Assert.Null((await host.RecordAsync(1))!.GrantLink);
        Assert.Equal(VipEntryOutcome.AccessAlreadyDelivered, second.Result.Outcome);
        Assert.Null(second.Result.Access);
        Assert.Equal(VipEntryButtonKind.RequestNewLink, second.Prompt.Button!.Kind);
    }

    [Fact]
    public async Task R5_A_failing_link_issuer_withdraws_the_grant_so_it_can_be_issued_again()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery);
        host.Issuer!.Throw = true;

        var failed = await host.Engine.DeliverAccessAsync(1);

        Assert.Equal(VipEntryOutcome.LinkIssuerFailed, failed.Outcome);
        Assert.Null((await host.RecordAsync(1))!.GrantTokenHash);
        host.Issuer.Throw = false;
        var retried = await host.Engine.DeliverAccessAsync(1);
        Assert.Equal(VipEntryOutcome.AccessIssued, retried.Outcome);
        Assert.Equal(2, host.Issuer.Calls);
    }
}
