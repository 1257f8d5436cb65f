using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VipEntry.Core.Channel;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Faults;

/// <summary>
/// R19's fault matrix (issue 14): a fault at every statement of the EF channel store, driven through the engine or the
/// channel worker that uses it, with a model chat behind the channel port. For each statement and each kind of fault
/// that applies — the statement fails before it runs (an error, a timeout, a dropped connection), or it commits and its
/// reply is lost — the operation runs once with the fault (a fault-free run of the same operation gives the reference),
/// and then: the channel table after the faulted call is the one before the call or the one after it, never in between;
/// a worker cycle at once, while a claim's lease still holds, acts on nobody the claim holds (nothing is done twice at
/// once); the transport's retry of the operation and worker cycles past the lease leave nobody inside the model chat who
/// is not entitled, nobody who pays banned, and every link of a grant that no longer stands revoked (no owed work is
/// lost); after every subscription lapsed and the worker drained, nobody is inside, and a further cycle finds nothing to do.
/// </summary>
public abstract class ChannelFaultTests<TBackend, TContext, TEntity>(TBackend backend) : IClassFixture<TBackend>
    where TBackend : EfBackend<TContext, TEntity>
    where TContext : DbContext
    where TEntity : class
{
    private const long Member = 7;
    private const long Intruder = 9;
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Cooldown = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(1);

    protected TBackend Backend { get; } = backend;

    /// <summary>Adds the EF store for this backend's context and entity.</summary>
    protected abstract void AddStore(VipEntryBuilder builder);

    [Theory]
    [InlineData(FaultKind.Error)]
    [InlineData(FaultKind.Timeout)]
    [InlineData(FaultKind.DroppedConnection)]
    public Task R19_Fault_RecordInsideUpdate_BeforeRun_at_a_redemption_admits_nobody_unrecorded_and_the_retry_gets_the_member_in(FaultKind kind) =>
        RunCaseAsync(ChannelStatement.RecordInsideUpdate, ChannelScenario.Redeem, kind);

    [Fact]
    public Task R19_Fault_RecordInsideUpdate_LostReply_at_a_redemption_keeps_the_member_recorded_and_the_retry_gets_the_member_in() =>
        RunCaseAsync(ChannelStatement.RecordInsideUpdate, ChannelScenario.Redeem, FaultKind.LostReply);

    [Theory]
    [InlineData(FaultKind.Error)]
    [InlineData(FaultKind.Timeout)]
    [InlineData(FaultKind.DroppedConnection)]
    public Task R19_Fault_RecordInsideInsert_BeforeRun_reporting_an_intruder_records_nothing_and_the_retried_report_removes_them(FaultKind kind) =>
        RunCaseAsync(ChannelStatement.RecordInsideInsert, ChannelScenario.ReportIntruder, kind);

    [Fact]
    public Task R19_Fault_RecordInsideInsert_LostReply_reporting_an_intruder_records_them_and_they_are_removed() =>
        RunCaseAsync(ChannelStatement.RecordInsideInsert, ChannelScenario.ReportIntruder, FaultKind.LostReply);

    [Theory]
    [InlineData(FaultKind.Error)]
    [InlineData(FaultKind.Timeout)]
    [InlineData(FaultKind.DroppedConnection)]
    public Task R19_Fault_RecordOutside_BeforeRun_keeps_the_member_possibly_inside_and_their_lapse_still_removes_nobody_wrongly(FaultKind kind) =>
        RunCaseAsync(ChannelStatement.RecordOutside, ChannelScenario.ReportOutside, kind);

    [Fact]
    public Task R19_Fault_RecordOutside_LostReply_records_the_member_outside_and_the_retry_changes_nothing() =>
        RunCaseAsync(ChannelStatement.RecordOutside, ChannelScenario.ReportOutside, FaultKind.LostReply);

    [Theory]
    [InlineData(FaultKind.Error)]
    [InlineData(FaultKind.Timeout)]
    [InlineData(FaultKind.DroppedConnection)]
    public Task R19_Fault_OweRevocationsRead_BeforeRun_fails_the_redemption_before_anything_changed_and_the_retry_redeems(FaultKind kind) =>
        RunCaseAsync(ChannelStatement.OweRevocationsRead, ChannelScenario.Redeem, kind);

    [Fact]
    public Task R19_Fault_OweRevocationsRead_LostReply_fails_the_redemption_before_anything_changed_and_the_retry_redeems() =>
        RunCaseAsync(ChannelStatement.OweRevocationsRead, ChannelScenario.Redeem, FaultKind.LostReply);

    [Theory]
    [InlineData(FaultKind.Error)]
    [InlineData(FaultKind.Timeout)]
    [InlineData(FaultKind.DroppedConnection)]
    public Task R19_Fault_OweRevocationsInsert_BeforeRun_fails_the_redemption_before_anything_changed_and_the_retry_redeems(FaultKind kind) =>
        RunCaseAsync(ChannelStatement.OweRevocationsInsert, ChannelScenario.Redeem, kind);

    [Fact]
    public Task R19_Fault_OweRevocationsInsert_LostReply_owes_the_link_once_and_the_redemption_goes_on() =>
        RunCaseAsync(ChannelStatement.OweRevocationsInsert, ChannelScenario.Redeem, FaultKind.LostReply);

    [Theory]
    [InlineData(FaultKind.Error)]
    [InlineData(FaultKind.Timeout)]
    [InlineData(FaultKind.DroppedConnection)]
    public Task R19_Fault_OweRevocationsSet_BeforeRun_fails_the_reissue_before_anything_changed_and_every_replaced_link_is_revoked(FaultKind kind) =>
        RunCaseAsync(ChannelStatement.OweRevocationsSet, ChannelScenario.Reissue, kind);

    [Fact]
    public Task R19_Fault_OweRevocationsSet_LostReply_owes_the_link_ahead_revokes_nothing_in_use_and_the_retry_reissues() =>
        RunCaseAsync(ChannelStatement.OweRevocationsSet, ChannelScenario.Reissue, FaultKind.LostReply);

    [Theory]
    [InlineData(FaultKind.Error, 1)]
    [InlineData(FaultKind.Timeout, 1)]
    [InlineData(FaultKind.DroppedConnection, 1)]
    [InlineData(FaultKind.Error, 2)]
    [InlineData(FaultKind.Timeout, 2)]
    [InlineData(FaultKind.DroppedConnection, 2)]
    public Task R19_Fault_MarkDue_BeforeRun_before_or_after_ending_a_subscription_never_fails_it_and_the_member_is_removed(FaultKind kind, int occurrence) =>
        RunCaseAsync(ChannelStatement.MarkDue, ChannelScenario.EndSubscription, kind, occurrence);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public Task R19_Fault_MarkDue_LostReply_before_or_after_ending_a_subscription_never_fails_it_and_the_member_is_removed(int occurrence) =>
        RunCaseAsync(ChannelStatement.MarkDue, ChannelScenario.EndSubscription, FaultKind.LostReply, occurrence);

    [Theory]
    [InlineData(FaultKind.Error)]
    [InlineData(FaultKind.Timeout)]
    [InlineData(FaultKind.DroppedConnection)]
    public Task R19_Fault_ListDue_BeforeRun_fails_the_cycle_and_the_next_one_removes_the_lapsed_member(FaultKind kind) =>
        RunCaseAsync(ChannelStatement.ListDue, ChannelScenario.WorkerRemoval, kind);

    [Fact]
    public Task R19_Fault_ListDue_LostReply_fails_the_cycle_and_the_next_one_removes_the_lapsed_member() =>
        RunCaseAsync(ChannelStatement.ListDue, ChannelScenario.WorkerRemoval, FaultKind.LostReply);

    [Theory]
    [InlineData(FaultKind.Error)]
    [InlineData(FaultKind.Timeout)]
    [InlineData(FaultKind.DroppedConnection)]
    public Task R19_Fault_TryClaim_BeforeRun_claims_nothing_and_the_next_cycle_removes_the_lapsed_member(FaultKind kind) =>
        RunCaseAsync(ChannelStatement.TryClaim, ChannelScenario.WorkerRemoval, kind);

    [Fact]
    public Task R19_Fault_TryClaim_LostReply_holds_the_record_until_the_lease_and_a_cycle_after_it_removes_the_member() =>
        RunCaseAsync(ChannelStatement.TryClaim, ChannelScenario.WorkerRemoval, FaultKind.LostReply);

    [Theory]
    [InlineData(FaultKind.Error)]
    [InlineData(FaultKind.Timeout)]
    [InlineData(FaultKind.DroppedConnection)]
    public Task R19_Fault_TryRecordBan_BeforeRun_asks_for_no_removal_and_a_cycle_after_the_lease_removes_the_member(FaultKind kind) =>
        RunCaseAsync(ChannelStatement.TryRecordBan, ChannelScenario.WorkerRemoval, kind);

    [Fact]
    public Task R19_Fault_TryRecordBan_LostReply_keeps_the_ban_fact_and_a_cycle_after_the_lease_removes_the_member() =>
        RunCaseAsync(ChannelStatement.TryRecordBan, ChannelScenario.WorkerRemoval, FaultKind.LostReply);

    [Theory]
    [InlineData(FaultKind.Error)]
    [InlineData(FaultKind.Timeout)]
    [InlineData(FaultKind.DroppedConnection)]
    public Task R19_Fault_TrySettle_BeforeRun_keeps_the_facts_and_a_cycle_after_the_lease_settles_them(FaultKind kind) =>
        RunCaseAsync(ChannelStatement.TrySettle, ChannelScenario.WorkerRemoval, kind);

    [Fact]
    public Task R19_Fault_TrySettle_LostReply_settles_the_facts_and_nothing_is_done_again() =>
        RunCaseAsync(ChannelStatement.TrySettle, ChannelScenario.WorkerRemoval, FaultKind.LostReply);

    [Theory]
    [InlineData(FaultKind.Error)]
    [InlineData(FaultKind.Timeout)]
    [InlineData(FaultKind.DroppedConnection)]
    public Task R19_Fault_Release_BeforeRun_keeps_the_claim_until_its_lease_and_the_renewed_member_ends_outside_and_unbanned(FaultKind kind) =>
        RunCaseAsync(ChannelStatement.Release, ChannelScenario.WorkerSettlementLost, kind);

    [Fact]
    public Task R19_Fault_Release_LostReply_releases_the_claim_and_the_renewed_member_ends_outside_and_unbanned() =>
        RunCaseAsync(ChannelStatement.Release, ChannelScenario.WorkerSettlementLost, FaultKind.LostReply);

    [Fact]
    public async Task R19_Race_a_worker_cycle_between_owing_the_link_ahead_and_the_redemption_still_leaves_the_redeemed_link_revoked()
    {
        await Backend.RequireAsync();
        var injector = new FaultInjector(Backend.Engine, Backend.ConnectionString);
        await using var run = await NewRunAsync(injector, ChannelScenario.Redeem, nameof(IVipEntryChannelStore.OweRevocationsAsync));

        // Another replica's worker runs its cycle after the link was owed and before the redemption is written: the link
        // still stands then, so that worker must not revoke it, and must not forget it either.
        run.Watch.AfterNextCall = () => run.CycleAsync();
        await run.OperateAsync();
        await run.CyclesPastTheLeaseAsync();
        await run.AssertNothingOwedIsLostAsync("a cycle between owing L1 and redeeming it");
    }

    private static (string Method, string Verb) Target(ChannelStatement statement) => statement switch
    {
        ChannelStatement.RecordInsideUpdate => (nameof(IVipEntryChannelStore.RecordInsideAsync), "UPDATE"),
        ChannelStatement.RecordInsideInsert => (nameof(IVipEntryChannelStore.RecordInsideAsync), "INSERT"),
        ChannelStatement.RecordOutside => (nameof(IVipEntryChannelStore.RecordOutsideAsync), "UPDATE"),
        ChannelStatement.OweRevocationsRead => (nameof(IVipEntryChannelStore.OweRevocationsAsync), "SELECT"),
        ChannelStatement.OweRevocationsInsert => (nameof(IVipEntryChannelStore.OweRevocationsAsync), "INSERT"),
        ChannelStatement.OweRevocationsSet => (nameof(IVipEntryChannelStore.OweRevocationsAsync), "UPDATE"),
        ChannelStatement.MarkDue => (nameof(IVipEntryChannelStore.MarkDueAsync), "UPDATE"),
        ChannelStatement.ListDue => (nameof(IVipEntryChannelStore.ListDueAsync), "SELECT"),
        ChannelStatement.TryClaim => (nameof(IVipEntryChannelStore.TryClaimAsync), "UPDATE"),
        ChannelStatement.TryRecordBan => (nameof(IVipEntryChannelStore.TryRecordBanAsync), "UPDATE"),
        ChannelStatement.TrySettle => (nameof(IVipEntryChannelStore.TrySettleAsync), "UPDATE"),
        _ => (nameof(IVipEntryChannelStore.ReleaseAsync), "UPDATE"),
    };

    private async Task RunCaseAsync(ChannelStatement statement, ChannelScenario scenario, FaultKind kind, int occurrence = 1)
    {
        await Backend.RequireAsync();
        var (method, verb) = Target(statement);
        var injector = new FaultInjector(Backend.Engine, Backend.ConnectionString)
        {
            Match = command => ChannelWatch.Current == method && ChannelWatch.VerbOf(command) == verb,
        };

        // The fault-free run: the table before and after the call that runs the statement.
        WatchedCall reference;
        await using (var run = await NewRunAsync(injector, scenario, method))
        {
            injector.Arm(0, kind);
            await run.OperateAsync();
            Assert.True(injector.Count >= occurrence, $"{scenario} ran the {statement} statement {injector.Count} time(s), not {occurrence}");
            reference = run.Watch.CallAt(occurrence);
        }

        await using (var run = await NewRunAsync(injector, scenario, method))
        {
            injector.Arm(occurrence, kind);
            Exception? thrown = null;
            try
            {
                await run.OperateAsync();
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                thrown = ex;
            }

            Assert.True(injector.Fired, $"{statement} #{occurrence}: the fault was never injected");
            var where = $"{statement} #{occurrence} {kind} in {scenario} ({injector.FiredSql?.ReplaceLineEndings(" ")}; {(thrown is null ? "the operation went on" : "the operation threw " + thrown.GetType().Name + ": " + thrown.Message)})";
            injector.Arm(0, kind);
            var faulted = run.Watch.CallAt(occurrence);
            run.Watch.Method = null;
            Assert.True(reference.Before == faulted.Before, $"{where}: the run before the fault differs from the fault-free one:\n    reference: {reference.Before}\n    faulted:   {faulted.Before}");
            Assert.True(
                faulted.After == reference.Before || faulted.After == reference.After,
                $"{where}: the channel table is in between after the fault:\n    old:   {reference.Before}\n    new:   {reference.After}\n    found: {faulted.After}");

            // Nothing done twice at once: a worker at once acts on nobody whose claim still holds.
            await run.CycleWhileLeasesHoldAsync(where);

            // The transport's retry, then worker cycles past the lease: nothing owed is lost.
            if (thrown is not null)
            {
                await run.RetryAsync(where);
            }

            await run.CyclesPastTheLeaseAsync();
            await run.AssertNothingOwedIsLostAsync(where + ", after the retry");
            await run.AssertScenarioEndAsync(where);

            // Every subscription lapses: the worker takes everyone out, revokes every link, and then has nothing to do.
            await run.LapseEveryoneAsync(where);
            Assert.False(run.Chat.Overlapped, $"{where}: two port calls for one person overlapped");
        }
    }

    private async Task<Run> NewRunAsync(FaultInjector injector, ChannelScenario scenario, string method)
    {
        var clock = new FakeTimeProvider(Start);
        var watch = new ChannelWatch(injector);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new TestLinkSettings { Mode = TestLinkMode.Recorded });
        var builder = services.AddVipEntry(o =>
        {
            o.ReissueCooldown = Cooldown;
            o.LinkLifetime = LinkLifetime;
            o.LapseLease = Lease;
        });
        builder.UseLinkIssuer<TestLinkIssuer>();
        builder.UseChannel<ModelChannel>(o => o.Enabled = false, ServiceLifetime.Singleton);
        services.AddDbContext<TContext>(o =>
        {
            Backend.ConfigureProvider(o);
            o.AddInterceptors(injector);
        });
        AddStore(builder);
        var efStore = services.Single(d => d.ServiceType == typeof(IVipEntryChannelStore));
        services.Remove(efStore);
        services.AddScoped<IVipEntryChannelStore>(sp => new WatchedChannelStore((IVipEntryChannelStore)efStore.ImplementationFactory!(sp), watch));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        injector.Paused = true;
        injector.Arm(0, FaultKind.Error);
        await Backend.ResetAsync(provider);
        if (!Backend.CanCreate)
        {
            // A host-owned table: the host inserted the member's row; their old subscription is being renewed.
            await Backend.SeedHostRowAsync(provider, Member, Start.AddDays(1));
        }

        var run = new Run(provider, clock, watch, scenario);
        await run.SetUpAsync();
        watch.Method = method;
        watch.Snapshot = run.ReadTableAsync;
        injector.Paused = false;
        return run;
    }

    private sealed class Run(ServiceProvider provider, FakeTimeProvider clock, ChannelWatch watch, ChannelScenario scenario) : IAsyncDisposable
    {
        private readonly List<AsyncServiceScope> _scopes = [];

        // Every link the engine handed out, in order (L1, L2, …): the tokens are random, so the table is compared by these names.
        private readonly List<string> _issued = [];

        public ChannelWatch Watch { get; } = watch;

        public ModelChannel Chat => (ModelChannel)provider.GetRequiredService<IVipEntryChannel>();

        public async ValueTask DisposeAsync()
        {
            foreach (var scope in _scopes)
            {
                await scope.DisposeAsync();
            }

            await provider.DisposeAsync();
        }

        public async Task SetUpAsync()
        {
            switch (scenario)
            {
                case ChannelScenario.Redeem:
                    await WalkToStage3Async();
                    break;
                case ChannelScenario.ReportIntruder:
                    Chat.Join(Intruder);
                    break;
                case ChannelScenario.ReportOutside:
                    await RedeemAndJoinAsync();
                    Chat.Leave(Member);
                    break;
                case ChannelScenario.Reissue:
                    await WalkToStage3Async();
                    clock.Advance(LinkLifetime + TimeSpan.FromMinutes(1)); // expired: the member may ask for another
                    Assert.Equal(VipEntryOutcome.AccessReissued, Issued(await Machine().ReissueAccessAsync(Member)).Outcome);
                    clock.Advance(LinkLifetime + TimeSpan.FromMinutes(1)); // expired: the member may ask for another
                    break;
                case ChannelScenario.EndSubscription:
                    await RedeemAndJoinAsync();
                    break;
                default:
                    await RedeemAndJoinAsync();
                    Assert.Equal(VipEntryOutcome.SubscriptionEnded, (await Machine().EndSubscriptionAsync(Member)).Outcome);
                    if (scenario == ChannelScenario.WorkerSettlementLost)
                    {
                        // The member pays again while the worker removes them: its settlement finds the facts changed.
                        Chat.DuringNextRemoval = async _ =>
                            Assert.Equal(VipEntryOutcome.Restarted, (await Machine().ActivateAsync(Member, clock.GetUtcNow().AddDays(60))).Outcome);
                    }

                    break;
            }
        }

        /// <summary>The operation, as the transport (or the hosted worker) does it.</summary>
        public async Task OperateAsync()
        {
            switch (scenario)
            {
                case ChannelScenario.Redeem:
                    await RedeemAsync(_issued[^1]);
                    break;
                case ChannelScenario.ReportIntruder:
                    await ReportIntruderAsync();
                    break;
                case ChannelScenario.ReportOutside:
                    await Machine().ReportOutsideAsync(Member);
                    break;
                case ChannelScenario.Reissue:
                    Assert.Equal(VipEntryOutcome.AccessReissued, Issued(await Machine().ReissueAccessAsync(Member)).Outcome);
                    break;
                case ChannelScenario.EndSubscription:
                    Assert.Equal(VipEntryOutcome.SubscriptionEnded, (await Machine().EndSubscriptionAsync(Member)).Outcome);
                    break;
                default:
                    await Worker().RunOnceAsync();
                    break;
            }
        }

        /// <summary>The transport's retry after the operation threw (a redelivered update, a retried command).</summary>
        public async Task RetryAsync(string where)
        {
            switch (scenario)
            {
                case ChannelScenario.Redeem:
                {
                    // The join request is delivered again; a redemption that went through says AlreadyCompleted, and the
                    // member (declined, outside) is offered re-entry, which they take.
                    var r = await RedeemAsync(_issued[^1], allowDone: true);
                    if (r.Outcome == VipEntryOutcome.AlreadyCompleted)
                    {
                        var reentry = Issued(await Machine().RequestReentryAsync(Member));
                        Assert.True(reentry.Access is not null, $"{where}: re-entry after the retried redemption gave {reentry.Outcome}");
                        Assert.Equal(VipEntryOutcome.Readmitted, (await RedeemAsync(reentry.Access!.Link)).Outcome);
                    }

                    Assert.True(Chat.IsIn(Member), $"{where}: the member never got in");
                    break;
                }

                case ChannelScenario.ReportIntruder:
                    await ReportIntruderAsync();
                    break;
                case ChannelScenario.ReportOutside:
                    await Machine().ReportOutsideAsync(Member);
                    break;
                case ChannelScenario.Reissue:
                {
                    var r = Issued(await Machine().ReissueAccessAsync(Member));
                    Assert.True(r.Outcome is VipEntryOutcome.AccessReissued or VipEntryOutcome.AccessShown, $"{where}: the retried reissue gave {r.Outcome}");
                    break;
                }

                case ChannelScenario.EndSubscription:
                {
                    var r = await Machine().EndSubscriptionAsync(Member);
                    Assert.True(r.Outcome is VipEntryOutcome.SubscriptionEnded or VipEntryOutcome.SubscriptionExpired, $"{where}: the retried end gave {r.Outcome}");
                    break;
                }

                default:
                    // The hosted worker logs a failed cycle and runs the next one.
                    break;
            }
        }

        /// <summary>A worker cycle right away, while any claim taken before still holds: it must not act on those people.</summary>
        public async Task CycleWhileLeasesHoldAsync(string where)
        {
            var now = clock.GetUtcNow();
            var held = (await RowsAsync()).Where(r => r.Claim is not null && r.LeaseUntil > now).Select(r => r.PersonId).ToHashSet();
            var seen = Chat.Calls.Count;
            await Worker().RunOnceAsync();
            var acted = Chat.Calls.Skip(seen).Where(c => c.StartsWith("remove ", StringComparison.Ordinal) || c.StartsWith("lift ", StringComparison.Ordinal)).ToList();
            foreach (var person in held)
            {
                var mine = acted.Where(c => c.Split(' ')[1] == person.ToString(CultureInfo.InvariantCulture)).ToList();
                Assert.True(mine.Count == 0, $"{where}: a cycle acted on {person} while another worker's claim held: {string.Join(", ", mine)}");
            }
        }

        public async Task CycleAsync() => await Worker().RunOnceAsync();

        public async Task CyclesPastTheLeaseAsync()
        {
            for (var i = 0; i < 3; i++)
            {
                clock.Advance(Lease + TimeSpan.FromSeconds(1));
                await Worker().RunOnceAsync();
            }
        }

        /// <summary>Nobody inside who is not entitled; nobody who pays banned; every link of a grant that no longer stands revoked, and none that stands.</summary>
        public async Task AssertNothingOwedIsLostAsync(string where)
        {
            var now = clock.GetUtcNow();
            foreach (var person in Chat.Inside)
            {
                var record = await FindAsync(person);
                Assert.True(record is { Stage: VipEntryStage.Completed } && record.IsActiveAt(now), $"{where}: {person} is inside the chat without being entitled ({record?.Stage.ToString() ?? "no subscriber"}, {(record?.IsActiveAt(now) == true ? "paying" : "not paying")})");
            }

            foreach (var person in Chat.Banned)
            {
                var record = await FindAsync(person);
                Assert.False(record is not null && record.IsActiveAt(now), $"{where}: {person} pays and is banned");
            }

            var standing = (await FindAsync(Member))?.GrantLink;
            for (var i = 0; i < _issued.Count; i++)
            {
                var link = _issued[i];
                if (link == standing)
                {
                    Assert.False(Chat.IsRevoked(link), $"{where}: L{i + 1}, the member's standing link, was revoked");
                }
                else
                {
                    Assert.True(Chat.IsRevoked(link), $"{where}: L{i + 1}, a link of a grant that no longer stands, was never revoked");
                }
            }
        }

        /// <summary>What each scenario must end with besides the general invariants.</summary>
        public async Task AssertScenarioEndAsync(string where)
        {
            switch (scenario)
            {
                case ChannelScenario.Redeem:
                    Assert.True(Chat.IsIn(Member), $"{where}: the member is not inside after the redemption");
                    Assert.True((await RecordAsync(Member))?.MayBeInside == true, $"{where}: the member is inside but not recorded as possibly inside");
                    break;
                case ChannelScenario.ReportIntruder:
                    Assert.False(Chat.IsIn(Intruder), $"{where}: the intruder is still inside");
                    break;
                case ChannelScenario.WorkerSettlementLost:
                    Assert.False(Chat.IsIn(Member), $"{where}: the renewed member, back at stage 1, is inside");
                    break;
                case ChannelScenario.EndSubscription or ChannelScenario.WorkerRemoval:
                    Assert.False(Chat.IsIn(Member), $"{where}: the lapsed member is still inside");
                    break;
            }
        }

        public async Task LapseEveryoneAsync(string where)
        {
            clock.Advance(TimeSpan.FromDays(70));
            await CyclesPastTheLeaseAsync();
            await AssertNothingOwedIsLostAsync(where + ", after every subscription lapsed");
            Assert.True(Chat.Inside.Length == 0, $"{where}: inside after every subscription lapsed: {string.Join(", ", Chat.Inside)}");
            clock.Advance(Lease + TimeSpan.FromSeconds(1));
            var last = await Worker().RunOnceAsync();
            Assert.True(last == VipEntryChannelCycleReport.Empty, $"{where}: a cycle after the drain still had work: {last}");
            var now = clock.GetUtcNow();
            var due = (await RowsAsync()).Where(r => r.DueAt <= now).Select(r => r.PersonId).ToList();
            Assert.True(due.Count == 0, $"{where}: records still due after the drain: {string.Join(", ", due)}");
        }

        /// <summary>The channel table, reduced to what it means (links by their names, claims as held or not).</summary>
        public async Task<string> ReadTableAsync()
        {
            var rows = await RowsAsync();
            return string.Join("; ", rows.Select(r =>
                $"{r.Chat}/{r.PersonId}: inside={r.MayBeInside} ban={r.BanMayStand} links=[{string.Join(",", (r.LinksToRevoke?.Split('\n') ?? []).Select(Name))}] "
                + $"due={r.DueAt?.ToString("O", CultureInfo.InvariantCulture) ?? "never"} claimed={r.Claim is not null} lease={r.LeaseUntil?.ToString("O", CultureInfo.InvariantCulture) ?? "none"}"));
        }

        private string Name(string link) => _issued.IndexOf(link) is var i and >= 0 ? $"L{i + 1}" : "?" + link;

        private async Task<List<VipEntryChannelEntity>> RowsAsync()
        {
            var paused = Watch.Injector.Paused;
            Watch.Injector.Paused = true;
            try
            {
                await using var scope = provider.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<TContext>().Set<VipEntryChannelEntity>().AsNoTracking()
                    .OrderBy(e => e.Chat).ThenBy(e => e.PersonId).ToListAsync();
            }
            finally
            {
                Watch.Injector.Paused = paused;
            }
        }

        private async Task<VipEntryChannelRecord?> RecordAsync(long personId)
        {
            var paused = Watch.Injector.Paused;
            Watch.Injector.Paused = true;
            try
            {
                return await Scope().GetRequiredService<IVipEntryChannelStore>().FindAsync(VipEntryOptions.DefaultChannelKey, personId);
            }
            finally
            {
                Watch.Injector.Paused = paused;
            }
        }

        private async Task<VipEntryRecord?> FindAsync(long subscriberId)
        {
            var paused = Watch.Injector.Paused;
            Watch.Injector.Paused = true;
            try
            {
                return await Scope().GetRequiredService<IVipEntryStore>().FindAsync(subscriberId);
            }
            finally
            {
                Watch.Injector.Paused = paused;
            }
        }

        private async Task WalkToStage3Async()
        {
            var machine = Machine();
            Assert.True((await machine.ActivateAsync(Member, Start.AddDays(30))).Outcome is VipEntryOutcome.Started or VipEntryOutcome.Restarted);
            Assert.Equal(VipEntryOutcome.Advanced, (await machine.AdvanceAsync(Member, VipEntryStage.ActivationConfirmation)).Outcome);
            Assert.Equal(VipEntryOutcome.Advanced, (await machine.AdvanceAsync(Member, VipEntryStage.ExpectationAlignment)).Outcome);
            Assert.Equal(VipEntryOutcome.AccessIssued, Issued(await machine.DeliverAccessAsync(Member)).Outcome);
        }

        private async Task RedeemAndJoinAsync()
        {
            await WalkToStage3Async();
            Assert.Equal(VipEntryOutcome.Redeemed, (await RedeemAsync(_issued[^1])).Outcome);
        }

        // The Telegram package's join request: a redemption admits the member, then their record is worked at once.
        private async Task<VipEntryResult> RedeemAsync(string link, bool allowDone = false)
        {
            var r = await Machine().RedeemLinkAsync(Member, link);
            if (r.Outcome is VipEntryOutcome.Redeemed or VipEntryOutcome.Readmitted)
            {
                Chat.Join(Member);
                await Worker().WorkOnAsync(Member);
            }
            else
            {
                Assert.True(allowDone && r.Outcome == VipEntryOutcome.AlreadyCompleted, $"the redemption gave {r.Outcome}");
            }

            return r;
        }

        // The Telegram package's chat member update: someone not entitled joined; their record is worked at once.
        private async Task ReportIntruderAsync()
        {
            Assert.False(await Machine().ReportInsideAsync(Intruder));
            await Worker().WorkOnAsync(Intruder);
        }

        private VipEntryResult Issued(VipEntryResult result)
        {
            if (result.Access?.Link is { } link && !_issued.Contains(link))
            {
                _issued.Add(link);
            }

            return result;
        }

        private IServiceProvider Scope()
        {
            var scope = provider.CreateAsyncScope();
            _scopes.Add(scope);
            return scope.ServiceProvider;
        }

        private IVipEntryStateMachine Machine() => Scope().GetRequiredService<IVipEntryStateMachine>();

        private IVipEntryChannelWorker Worker() => Scope().GetRequiredService<IVipEntryChannelWorker>();
    }
}
