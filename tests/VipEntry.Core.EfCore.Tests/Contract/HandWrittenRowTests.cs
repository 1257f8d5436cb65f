using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Core.EfCore.Tests.Contract;

/// <summary>
/// Rows the engine did not write: the original bot's, or an operator's by hand. Only database stores can hold them.
/// </summary>
public abstract class HandWrittenRowTests<TBackend>(TBackend backend) : StoreTestBase<TBackend>(backend)
    where TBackend : StoreBackend, IHandWrittenRows
{
    [Fact]
    public async Task Defect8_a_grant_hash_with_no_issue_time_counts_as_expired_and_can_be_replaced()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAtStage3Async(1);
        await Backend.WriteByHandAsync(1, HashOf('f'), issuedAt: null);

        // Shown as expired, not as "already delivered"; a new link is granted at once, with no cooldown to wait out.
        Assert.Equal(VipEntryOutcome.LinkExpired, (await Machine().DeliverAccessAsync(1)).Outcome);
        var reissued = await Machine().ReissueAccessAsync(1);
        Assert.Equal(VipEntryOutcome.AccessReissued, reissued.Outcome);
        var r = await GetAsync(1);
        Assert.NotEqual(HashOf('f'), r.GrantTokenHash);
        Assert.NotNull(r.GrantIssuedAt);
        Assert.Equal(reissued.Access!.Link, r.GrantLink);
        Assert.Equal(VipEntryOutcome.Redeemed, (await Machine().RedeemLinkAsync(1, reissued.Access.Link)).Outcome);
        Assert.Equal(VipEntryStage.Completed, (await GetAsync(1)).Stage);
    }

    [Fact]
    public async Task Defect8_the_store_replaces_a_grant_with_no_issue_time_whatever_the_cooldown_edge()
    {
        await EnrollAtStage3Async(1);
        await Backend.WriteByHandAsync(1, HashOf('f'), issuedAt: null);
        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, HashOf('f'), HashOf('g'), Now, DateTimeOffset.MinValue.AddYears(1)));
        Assert.Equal(HashOf('g'), (await GetAsync(1)).GrantTokenHash);
    }
}
