using VipEntry.Core.EfCore.Tests.Contract;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Stages;

namespace VipEntry.Core.EfCore.Tests.Model;

/// <summary>Every transition is exactly one SQL statement (seen by a <c>DbCommandInterceptor</c>), with its conditions in the WHERE.</summary>
public abstract class StatementCountTests<TBackend>(TBackend backend) : StoreTestBase<TBackend>(backend)
    where TBackend : StoreBackend
{
    private readonly CommandCounter _counter = new();

    protected override CommandCounter? Counter => _counter;

    private async Task<string> OneStatementAsync(Func<Task<bool>> transition, bool expected = true)
    {
        _counter.Clear();
        Assert.Equal(expected, await transition());
        var command = Assert.Single(_counter.Commands);
        return command.Sql;
    }

    [Fact]
    public async Task Every_transition_is_one_statement()
    {
        var insert = await OneStatementAsync(async () => await Store().TryCreateAsync(1, Now.AddDays(30)));
        Assert.StartsWith("INSERT INTO", insert.Trim(), StringComparison.OrdinalIgnoreCase);

        var advance = await OneStatementAsync(async () => await Store().TryAdvanceAsync(1, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, Now));
        Assert.StartsWith("UPDATE", advance.Trim(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("vip_entry_stage", advance, StringComparison.Ordinal);
        Assert.Contains("expires_at", advance, StringComparison.Ordinal);

        await OneStatementAsync(async () => await Store().TryAdvanceAsync(1, VipEntryStage.ExpectationAlignment, VipEntryStage.AccessDelivery, Now));
        var issue = await OneStatementAsync(async () => await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), Now, Now));
        Assert.Contains("vip_entry_token", issue, StringComparison.Ordinal);
        await OneStatementAsync(async () => await Store().TryWithdrawGrantAsync(1, HashOf('a')));
        await OneStatementAsync(async () => await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('b'), Now, Now));
        await OneStatementAsync(async () => await Store().TryRecordLinkAsync(1, HashOf('b'), "https://t.me/+b"));
        var redeem = await OneStatementAsync(async () => await Store().TryRedeemAsync(1, VipEntryStage.AccessDelivery, HashOf('b'), Now, Now.AddDays(-1)));
        Assert.Contains("invite_link_sent_at", redeem, StringComparison.Ordinal);

        var record = await GetAsync(1);
        await OneStatementAsync(async () => await Store().TryRenewAsync(record, Now.AddDays(1), restart: true));
        var enrolled = await GetAsync(1);
        await OneStatementAsync(async () => await Store().TrySkipAsync(enrolled, Now));
        Clock.Advance(TimeSpan.FromDays(2));
        var lapsed = await GetAsync(1);
        var claim = await OneStatementAsync(async () => await Store().TryClaimLapseAsync(lapsed, "claim-1", Now, Now.AddMinutes(10)));
        Assert.Contains("vip_entry_lapse_claim", claim, StringComparison.Ordinal);
        var confirm = await OneStatementAsync(async () => await Store().TryConfirmLapseAsync(1, "claim-1", Now));
        Assert.Contains("vip_entry_lapse_handled_at", confirm, StringComparison.Ordinal);
        await OneStatementAsync(async () => await Store().TryConfirmLapseAsync(1, "claim-1", Now), expected: false);

        // Losing compare-and-sets are one statement too: no read-then-write.
        await OneStatementAsync(async () => await Store().TryAdvanceAsync(1, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, Now), expected: false);
        await OneStatementAsync(async () => await Store().TryRedeemAsync(1, VipEntryStage.AccessDelivery, HashOf('b'), Now, Now.AddDays(-1)), expected: false);
    }

    [Fact]
    public async Task Funnel_is_one_group_by_and_a_sweep_batch_is_one_bounded_query()
    {
        await Store().TryCreateAsync(1, Now.AddDays(1));
        _counter.Clear();
        await Store().CountByStageAsync(Now);
        var funnel = Assert.Single(_counter.Commands).Sql;
        Assert.Contains("GROUP BY", funnel, StringComparison.OrdinalIgnoreCase);

        _counter.Clear();
        await Store().ListClaimableLapsesAsync(Now, 50);
        var sweep = Assert.Single(_counter.Commands).Sql;
        Assert.Contains("LIMIT", sweep, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ORDER BY", sweep, StringComparison.OrdinalIgnoreCase);
    }
}
