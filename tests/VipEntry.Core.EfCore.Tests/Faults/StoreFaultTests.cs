using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Faults;

/// <summary>
/// A fault at every store call (issue 10). A whole ritual — activate, advance ×2, deliver with a recorded link, redeem by the
/// link — then end the subscription and a sweep cycle (claim, confirm) run once without faults to count the commands; then,
/// for every k and every <see cref="FaultKind"/>, again with the k-th command failing. After each fault: the stored state is
/// the one before the operation or the one after it, never in between; the caller saw an exception or a non-success
/// outcome, or a success whose state is complete; repeating the operation reaches the state after it; the rest of the
/// ritual then runs as without the fault; nothing owed is lost (a claim the worker never got is handed out again once its
/// lease runs out, and after the confirmation nothing is owed).
/// </summary>
public abstract class StoreFaultTests<TBackend, TContext, TEntity>(TBackend backend) : IClassFixture<TBackend>
    where TBackend : EfBackend<TContext, TEntity>
    where TContext : DbContext
    where TEntity : class
{
    private const long Member = 7;
    private const long Bystander = 8;
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private static readonly string[] StepNames = ["activate", "advance 1→2", "advance 2→3", "deliver", "redeem link", "end subscription", "sweep (claim)", "confirm lapse"];

    protected TBackend Backend { get; } = backend;

    /// <summary>Adds the EF store for this backend's context and entity.</summary>
    protected abstract void AddStore(VipEntryBuilder builder);

    [Theory]
    [InlineData(FaultKind.Error)]
    [InlineData(FaultKind.Timeout)]
    [InlineData(FaultKind.DroppedConnection)]
    [InlineData(FaultKind.LostReply)]
    public async Task Issue10_A_fault_at_every_store_call_leaves_the_old_or_the_new_state_and_a_retry_completes(FaultKind kind)
    {
        await Backend.RequireAsync();
        var injector = new FaultInjector(Backend.Engine, Backend.ConnectionString);

        // The fault-free run: the states before and after each step, and how many commands there are.
        List<Snapshot> reference;
        await using (var run = await NewRunAsync(injector))
        {
            reference = await run.PlayAsync(faultAt: 0, kind, failures: null);
        }

        var points = injector.Count;
        Assert.True(points >= StepNames.Length, $"only {points} commands in a whole ritual");
        var failures = new List<string>();
        for (var k = 1; k <= points; k++)
        {
            await using var run = await NewRunAsync(injector);
            try
            {
                await run.PlayAsync(k, kind, failures, reference);
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                failures.Add($"k={k} ({injector.FiredSql}): unexpected {ex}");
            }

            Assert.True(injector.Fired, $"k={k}: the fault was never injected");
        }

        TestContext.Current.SendDiagnosticMessage($"{GetType().Name} {kind}: {points} fault points");
        Assert.True(failures.Count == 0, $"{kind}, {points} fault points, {failures.Count} failed:\n{string.Join("\n", failures)}");
    }

    private async Task<Run> NewRunAsync(FaultInjector injector)
    {
        var clock = new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new TestLinkSettings { Mode = TestLinkMode.Recorded });
        var builder = services.AddVipEntry(o =>
        {
            o.ReissueCooldown = TimeSpan.FromMinutes(5);
            o.LapseLease = Lease;
        });
        builder.UseLinkIssuer<TestLinkIssuer>();
        services.AddDbContext<TContext>(o =>
        {
            Backend.ConfigureProvider(o);
            o.AddInterceptors(injector);
        });
        AddStore(builder);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        injector.Paused = true;
        injector.Arm(0, FaultKind.Error);
        await Backend.ResetAsync(provider);
        var run = new Run(provider, clock, injector);
        if (Backend.CanCreate)
        {
            Assert.True(await run.Store().TryCreateAsync(Bystander, Start.AddDays(90)));
        }
        else
        {
            // A host-owned table: the host inserted both rows; the member's old subscription is being renewed.
            await Backend.SeedHostRowAsync(provider, Member, Start.AddDays(1));
            await Backend.SeedHostRowAsync(provider, Bystander, Start.AddDays(90));
        }

        injector.Paused = false;
        return run;
    }

    /// <summary>The ritual columns of both rows, with secrets and claim ids reduced to what they mean.</summary>
    private sealed record Snapshot(RowShape? Member, RowShape? Bystander)
    {
        public override string ToString() => $"member: {Member?.ToString() ?? "none"}; bystander: {Bystander}";
    }

    private sealed record RowShape(
        VipEntryStage Stage,
        DateTimeOffset EndsAt,
        bool HasGrant,
        DateTimeOffset? GrantIssuedAt,
        string Link,
        bool LapseHandled,
        bool LapseClaimed,
        bool HasLease,
        bool HasLapseLink,
        DateTimeOffset? StageEnteredAt,
        DateTimeOffset? StageNudgedAt,
        DateTimeOffset? GrantNudgedAt)
    {
        public static RowShape? Of(VipEntryRecord? r) => r is null ? null : new(
            r.Stage,
            r.SubscriptionEndsAt,
            r.GrantTokenHash is not null,
            r.GrantIssuedAt,

            // The test issuer's link is derived from the grant's hash: anything else is a link of another grant.
            r.GrantLink switch
            {
                null => "none",
                { } l when r.GrantTokenHash is { } h && l == $"https://t.me/+{h[..20]}" => "this grant's",
                _ => "another grant's",
            },
            r.LapseHandledAt is not null,
            r.LapseClaimId is not null,
            r.LapseLeaseUntil is not null,
            r.LapseLink is not null,
            r.StageEnteredAt,
            r.StageNudgedAt,
            r.GrantNudgedAt);
    }

    private sealed class Run(ServiceProvider provider, FakeTimeProvider clock, FaultInjector injector) : IAsyncDisposable
    {
        private readonly List<AsyncServiceScope> _scopes = [];
        private readonly HashSet<string> _revoked = new(StringComparer.Ordinal);
        private string? _link;
        private VipEntryLapse? _lapse;

        public IVipEntryStore Store() => Scope().GetRequiredService<IVipEntryStore>();

        public async ValueTask DisposeAsync()
        {
            foreach (var scope in _scopes)
            {
                await scope.DisposeAsync();
            }

            await provider.DisposeAsync();
        }

        /// <summary>Plays the ritual; with <paramref name="faultAt"/> &gt; 0 checks each step against <paramref name="reference"/>.</summary>
        public async Task<List<Snapshot>> PlayAsync(int faultAt, FaultKind kind, List<string>? failures, List<Snapshot>? reference = null)
        {
            injector.Arm(faultAt, kind);
            var states = new List<Snapshot> { await SnapshotAsync() };
            if (reference is not null)
            {
                Assert.Equal(reference[0], states[0]);
            }

            for (var step = 0; step < StepNames.Length; step++)
            {
                var firedBefore = injector.Fired;
                Exception? thrown = null;
                StepResult? outcome = null;
                try
                {
                    outcome = await DoAsync(step, retry: false);
                }
                catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                {
                    thrown = ex;
                }

                var after = await SnapshotAsync();
                var faultedHere = injector.Fired && !firedBefore;
                if (await RevokedButLiveAsync() is { } revokedLink)
                {
                    var message = $"k={faultAt} {kind} in '{StepNames[step]}': the caller was told to revoke the link the member holds ({revokedLink})";
                    Assert.True(failures is not null, message);
                    failures.Add(message);
                    return states;
                }

                if (!faultedHere)
                {
                    // No fault in this step: it runs as in the fault-free run.
                    if (thrown is not null)
                    {
                        throw new InvalidOperationException($"step '{StepNames[step]}' threw without a fault", thrown);
                    }

                    Assert.True(outcome!.Succeeded, $"k={faultAt}: step '{StepNames[step]}' without a fault: {outcome.Description}");
                    if (reference is not null)
                    {
                        Assert.Equal(reference[step + 1], after);
                    }

                    states.Add(after);
                    continue;
                }

                var where = $"k={faultAt} {kind} in '{StepNames[step]}' ({injector.FiredSql?.ReplaceLineEndings(" ")})";
                var old = reference![step];
                var @new = reference[step + 1];
                var report = thrown is not null ? $"threw {thrown.GetType().Name}: {thrown.Message}" : outcome!.Description;

                // Old or new, never in between; a success only with the whole new state.
                if (after != old && after != @new)
                {
                    failures!.Add($"{where}: the state is in between after the fault ({report}{(thrown is null ? "" : "\n" + thrown)}):\n    old:   {old}\n    new:   {@new}\n    found: {after}");
                    return states;
                }

                if (outcome is { Succeeded: true } && after != @new)
                {
                    failures!.Add($"{where}: reported success ({report}) but the state is the old one");
                    return states;
                }

                // Repeating the operation reaches the new state (for the sweep: once the lease of a claim nobody got runs out).
                StepResult retried;
                try
                {
                    retried = await DoAsync(step, retry: true);
                }
                catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                {
                    failures!.Add($"{where}: after the fault ({report}) the retry threw {ex}");
                    return states;
                }

                var recovered = await SnapshotAsync();
                if (await RevokedButLiveAsync() is { } revoked)
                {
                    failures!.Add($"{where}: after the fault ({report}) and the retry ({retried.Description}) the member holds a link the caller was told to revoke ({revoked})");
                    return states;
                }

                if (recovered != @new)
                {
                    failures!.Add($"{where}: after the fault ({report}) the retry ({retried.Description}) did not reach the new state:\n    new:   {@new}\n    found: {recovered}");
                    return states;
                }

                states.Add(recovered);
            }

            // Nothing is owed any more: a sweep after every lease has run out claims nothing.
            injector.Paused = true;
            clock.Advance(Lease + TimeSpan.FromMinutes(1));
            var final = await Machine().SweepAsync();
            Assert.Empty(final.Lapses);
            Assert.Equal(states[^1], await SnapshotAsync());
            return states;
        }

        private async Task<StepResult> DoAsync(int step, bool retry)
        {
            var machine = Machine();
            switch (step)
            {
                case 0:
                {
                    var r = Revoking(await machine.ActivateAsync(Member, Start.AddDays(30)));

                    // A retry after a write that went through finds the same activation already there.
                    return new(r.Outcome is VipEntryOutcome.Started or VipEntryOutcome.Restarted || (retry && r.Outcome == VipEntryOutcome.AtStage), r.Outcome.ToString());
                }

                case 1:
                case 2:
                {
                    var from = step == 1 ? VipEntryStage.ActivationConfirmation : VipEntryStage.ExpectationAlignment;
                    var r = Revoking(await machine.AdvanceAsync(Member, from));
                    return new(r.Outcome == VipEntryOutcome.Advanced || (retry && r.Outcome == VipEntryOutcome.StaleStage && r.Stage == from + 1), r.Outcome.ToString());
                }

                case 3:
                {
                    var r = Revoking(await machine.DeliverAccessAsync(Member));
                    if (r.Access is { } access)
                    {
                        _link = access.Link;
                    }

                    var recorded = r.Access is { CanBeShownAgain: true } && (await ReadAsync(Member))?.GrantLink == r.Access.Link;
                    return new((r.Outcome == VipEntryOutcome.AccessIssued || (retry && r.Outcome == VipEntryOutcome.AccessShown)) && recorded, $"{r.Outcome} (link recorded: {recorded}, to revoke: {r.LinksToRevoke.Count})");
                }

                case 4:
                {
                    var r = Revoking(await machine.RedeemLinkAsync(Member, _link));
                    return new(r.Outcome == VipEntryOutcome.Redeemed || (retry && r.Outcome == VipEntryOutcome.AlreadyCompleted), r.Outcome.ToString());
                }

                case 5:
                {
                    var r = Revoking(await machine.EndSubscriptionAsync(Member));
                    return new(r.Outcome == VipEntryOutcome.SubscriptionEnded || (retry && r.Outcome == VipEntryOutcome.SubscriptionExpired), r.Outcome.ToString());
                }

                case 6:
                {
                    var batch = await machine.SweepAsync();
                    if (retry && batch.Lapses.Count == 0)
                    {
                        // The claim was written but its answer lost: nobody holds it, so it is handed out again after the lease.
                        clock.Advance(Lease + TimeSpan.FromSeconds(1));
                        batch = await Machine().SweepAsync();
                        if (batch.Lapses.Count == 1 && !batch.Lapses[0].IsRetry)
                        {
                            return new(false, "the lapse came back after the lease but not as a retry");
                        }
                    }

                    _lapse = batch.Lapses.Count == 1 ? batch.Lapses[0] : null;
                    if (_lapse?.LinkToRevoke is { } lapseLink)
                    {
                        _revoked.Add(lapseLink);
                    }

                    var ok = _lapse is { SubscriberId: Member, ShouldRemoveFromChannel: true };
                    return new(ok, $"{batch.Lapses.Count} lapse(s){(_lapse?.IsRetry == true ? " (retry)" : "")}");
                }

                default:
                {
                    var r = await machine.ConfirmLapseHandledAsync(_lapse!);

                    // After a confirmation that went through, confirming again changes nothing and says so.
                    return new(r.Outcome == VipEntryOutcome.LapseConfirmed || (retry && r.Outcome == VipEntryOutcome.LapseClaimLost), r.Outcome.ToString());
                }
            }
        }

        private VipEntryResult Revoking(VipEntryResult result)
        {
            _revoked.UnionWith(result.LinksToRevoke);
            return result;
        }

        // The link the member's row holds, when the caller has been told to revoke it (the member would be shown a dead link).
        private async Task<string?> RevokedButLiveAsync() =>
            (await ReadAsync(Member))?.GrantLink is { } live && _revoked.Contains(live) ? live : null;

        private IServiceProvider Scope()
        {
            var scope = provider.CreateAsyncScope();
            _scopes.Add(scope);
            return scope.ServiceProvider;
        }

        private IVipEntryStateMachine Machine() => Scope().GetRequiredService<IVipEntryStateMachine>();

        private async Task<Snapshot> SnapshotAsync() => new(RowShape.Of(await ReadAsync(Member)), RowShape.Of(await ReadAsync(Bystander)));

        // A read of the test's own, outside the fault count.
        private async Task<VipEntryRecord?> ReadAsync(long subscriberId)
        {
            var paused = injector.Paused;
            injector.Paused = true;
            try
            {
                return await Store().FindAsync(subscriberId);
            }
            finally
            {
                injector.Paused = paused;
            }
        }
    }

    private sealed record StepResult(bool Succeeded, string Description);
}
