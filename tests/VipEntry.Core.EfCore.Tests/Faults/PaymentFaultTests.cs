using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Faults;

/// <summary>
/// A fault at every statement of every state-changing step of the payment store (issue 17): each step runs once without
/// faults to count its commands and find the state after it; then, for every k and every <see cref="FaultKind"/>, again
/// with the k-th command failing. A fault before the statement ran (error, timeout, dropped connection) reaches the caller
/// as an exception and leaves every row as it was; a lost reply (the statement ran) leaves the state before or after the
/// step, never in between, and a success only with the state after it. Repeating the step then reaches the state after it.
/// </summary>
public abstract class PaymentFaultTests<TBackend>(TBackend backend) : IClassFixture<TBackend>
    where TBackend : EfBackend<ReadyMadeContext, VipEntrySubscriber>
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T0 = VipEntryStateMachine.ToStorePrecision(Start.AddTicks(1_234_560));
    private static readonly DateTimeOffset T1 = VipEntryStateMachine.ToStorePrecision(Start.AddMinutes(5).AddTicks(2_345_670));
    private static readonly DateTimeOffset T2 = VipEntryStateMachine.ToStorePrecision(Start.AddMinutes(10).AddTicks(3_456_780));

    private static readonly Scenario[] Scenarios =
    [
        new("record a new payment", _ => Task.CompletedTask, async s => (await s.TryClaimAsync(Pay("p-1"), "a", T0, T1)).ToString()),
        new("take over a payment whose lease ran out", s => Claimed(s, "p-1", "dead", T1), async s => (await s.TryClaimAsync(Pay("p-1"), "b", T1, T2)).ToString()),
        new("a redelivery while held", s => Claimed(s, "p-1", "a", T2), async s => (await s.TryClaimAsync(Pay("p-1"), "b", T1, T2)).ToString()) { ChangesState = false },
        new("mark applied", s => Claimed(s, "p-1", "a", T2), async s => (await s.MarkAppliedAsync("p-1", "a", T1)).ToString()),
        new("release", s => Claimed(s, "p-1", "a", T2), async s =>
        {
            await s.ReleaseAsync("p-1", "a");
            return "released";
        }),
        new("claim the unapplied payments", SeedOrphansAsync, async s => string.Join(",", (await s.ClaimUnappliedAsync("w", T1, T2, 2)).Select(p => p.ChargeId))),
        new("mark refunded", SeedAppliedAsync, async s => (await s.MarkRefundedAsync("p-1", T1)).ToString()),
        new("claim the owed cancellations", SeedRefundedAsync, async s => string.Join(",", (await s.ClaimOwedCancellationsAsync("w", T1, T2, 2)).Select(p => p.ChargeId))),
        new("confirm a renewal canceled", async s =>
        {
            await SeedRefundedAsync(s);
            Assert.Equal(3, (await s.ClaimOwedCancellationsAsync("w", T0, T2, 10)).Count);
        }, async s => (await s.ConfirmRenewalCanceledAsync("p-1", "w", T1)).ToString()),
    ];

    private readonly List<IServiceScope> _scopes = [];

    protected TBackend Backend { get; } = backend;

    [Theory]
    [InlineData(FaultKind.Error)]
    [InlineData(FaultKind.Timeout)]
    [InlineData(FaultKind.DroppedConnection)]
    [InlineData(FaultKind.LostReply)]
    public async Task Issue17_A_fault_at_every_payment_statement_reaches_the_caller_and_leaves_no_half_state(FaultKind kind)
    {
        await Backend.RequireAsync();
        var injector = new FaultInjector(Backend.Engine, Backend.ConnectionString);
        await using var provider = BuildProvider(injector);
        var failures = new List<string>();
        var points = 0;
        foreach (var scenario in Scenarios)
        {
            // The fault-free run: the states before and after, the outcome, and how many commands the step sends.
            var before = await SeedAsync(provider, injector, scenario);
            injector.Arm(0, kind);
            injector.Paused = false;
            var outcome = await scenario.Act(Payments(provider));
            injector.Paused = true;
            var count = injector.Count;
            var after = await SnapshotAsync(provider);
            Assert.True(count >= 1, scenario.Name);
            Assert.True(scenario.ChangesState == (after != before), $"'{scenario.Name}': before {before}, after {after}");
            points += count;

            for (var k = 1; k <= count; k++)
            {
                Assert.Equal(before, await SeedAsync(provider, injector, scenario));
                injector.Arm(k, kind);
                injector.Paused = false;
                Exception? thrown = null;
                string? result = null;
                try
                {
                    result = await scenario.Act(Payments(provider));
                }
                catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                {
                    thrown = ex;
                }

                injector.Paused = true;
                var where = $"'{scenario.Name}' k={k} {kind} ({injector.FiredSql?.ReplaceLineEndings(" ")})";
                Assert.True(injector.Fired, $"{where}: the fault was never injected");
                var found = await SnapshotAsync(provider);
                if (kind != FaultKind.LostReply)
                {
                    // The statement did not run: the caller hears of it, and nothing changed.
                    if (thrown is null)
                    {
                        failures.Add($"{where}: no exception reached the caller (it was told {result})");
                    }

                    if (found != before)
                    {
                        failures.Add($"{where}: the state changed:\n    before: {before}\n    found:  {found}");
                    }
                }
                else if (found != before && found != after)
                {
                    failures.Add($"{where}: the state is in between:\n    before: {before}\n    after:  {after}\n    found:  {found}");
                }
                else if (thrown is null && result == outcome && found != after)
                {
                    failures.Add($"{where}: reported the step's outcome ({result}) but the state is the old one");
                }

                // When the fault left the old state, repeating the step is the fault-free step: its outcome, the state after it.
                if (found == before)
                {
                    injector.Arm(0, kind);
                    injector.Paused = false;
                    var retried = await scenario.Act(Payments(provider));
                    injector.Paused = true;
                    if (retried != outcome || await SnapshotAsync(provider) != after)
                    {
                        failures.Add($"{where}: the retry was told {retried} (not {outcome}) or did not reach the state after the step");
                    }
                }
            }
        }

        _scopes.ForEach(scope => scope.Dispose());
        TestContext.Current.SendDiagnosticMessage($"{GetType().Name} {kind}: {points} fault points");
        Assert.True(failures.Count == 0, $"{kind}, {points} fault points, {failures.Count} failed:\n{string.Join("\n", failures)}");
    }

    private static VipEntryPayment Pay(string chargeId, DateTimeOffset? paidAt = null) =>
        new(chargeId, 42, "XTR", 250, paidAt ?? T0, (paidAt ?? T0).AddDays(30), true, false);

    private static async Task Claimed(IVipEntryPaymentStore store, string chargeId, string owner, DateTimeOffset leaseUntil) =>
        Assert.Equal(VipEntryPaymentClaim.Claimed, await store.TryClaimAsync(Pay(chargeId), owner, T0, leaseUntil));

    private static async Task SeedOrphansAsync(IVipEntryPaymentStore store)
    {
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(VipEntryPaymentClaim.Claimed, await store.TryClaimAsync(Pay($"p-{i}", T0.AddTicks(i * 10)), "dead", T0, T1));
        }

        Assert.Equal(VipEntryPaymentClaim.Claimed, await store.TryClaimAsync(Pay("p-0"), "x", T0, T1));
        Assert.True(await store.MarkAppliedAsync("p-0", "x", T0));
    }

    private static async Task SeedAppliedAsync(IVipEntryPaymentStore store)
    {
        await Claimed(store, "p-1", "a", T1);
        Assert.True(await store.MarkAppliedAsync("p-1", "a", T0));
    }

    private static async Task SeedRefundedAsync(IVipEntryPaymentStore store)
    {
        await SeedOrphansAsync(store);
        for (var i = 1; i <= 3; i++)
        {
            Assert.True(await store.MarkRefundedAsync($"p-{i}", T0.AddTicks(i * 10)));
        }
    }

    private ServiceProvider BuildProvider(FaultInjector injector)
    {
        var services = new ServiceCollection();
        services.AddDbContext<ReadyMadeContext>(o =>
        {
            Backend.ConfigureProvider(o);
            o.AddInterceptors(injector);
        });
        services.AddVipEntry().AddEntityFrameworkCoreStore<ReadyMadeContext>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    // A scope per call, as a host's request or worker cycle has (disposed with the test's provider).
    private IVipEntryPaymentStore Payments(ServiceProvider provider)
    {
        var scope = provider.CreateScope();
        _scopes.Add(scope);
        return scope.ServiceProvider.GetRequiredService<IVipEntryPaymentStore>();
    }

    private async Task<string> SeedAsync(ServiceProvider provider, FaultInjector injector, Scenario scenario)
    {
        injector.Paused = true;
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReadyMadeContext>().Set<VipEntryPaymentEntity>().ExecuteDeleteAsync();
        }

        await scenario.Seed(Payments(provider));
        return await SnapshotAsync(provider);
    }

    // Every column of every row.
    private static async Task<string> SnapshotAsync(ServiceProvider provider)
    {
        await using var scope = provider.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<ReadyMadeContext>().Set<VipEntryPaymentEntity>().AsNoTracking()
            .OrderBy(e => e.ChargeId).ToListAsync();
        return string.Join(
            "; ",
            rows.Select(r => $"{r.ChargeId} {r.PersonId} {r.Currency} {r.Amount} {r.PaidAt:O} {r.PeriodEnd:O} {r.IsRecurring} {r.IsFirstRecurring} "
                + $"applied={r.AppliedAt:O} refunded={r.RefundedAt:O} canceled={r.RenewalCanceledAt:O} owner={r.ClaimOwner} until={r.ClaimUntil:O}"));
    }

    private sealed record Scenario(string Name, Func<IVipEntryPaymentStore, Task> Seed, Func<IVipEntryPaymentStore, Task<string>> Act)
    {
        public bool ChangesState { get; init; } = true;

        public override string ToString() => Name;
    }
}
