using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Migrations;

/// <summary>
/// The original bot's situation: a live, populated <c>vip_subscribers</c> table without the ritual. Upgrade it (plain
/// SQL or the <c>MigrationBuilder</c> extension run through EF Core's migration pipeline), check the backfill, the
/// default for new members and the store; roll back and find the original schema and rows intact.
/// </summary>
public abstract class MigrationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset RealNow = DateTimeOffset.UtcNow;

    // 1 and 2 are active, 3 and 4 expired, when the upgrade runs.
    private static readonly (long Id, string Name, DateTimeOffset Ends)[] Original =
    [
        (1, "ana", Whole(RealNow.AddDays(20))),
        (2, "ben", Whole(RealNow.AddDays(3))),
        (3, "cai", Whole(RealNow.AddDays(-2))),
        (4, "dee", Whole(RealNow.AddDays(-40))),
    ];

    protected abstract VipEntrySqlDialect Dialect { get; }

    protected abstract string ActiveProvider { get; }

    protected abstract void UseProvider(DbContextOptionsBuilder options);

    public abstract ValueTask InitializeAsync();

    public abstract ValueTask DisposeAsync();

    protected virtual Task RequireAsync() => Task.CompletedTask;

    protected abstract string CreatePreRitualTableSql { get; }

    protected abstract string TimeLiteral(DateTimeOffset value);

    /// <summary>Columns (name, type, nullability) and index names of <c>vip_subscribers</c>.</summary>
    protected abstract Task<string> DescribeSchemaAsync(LegacyBotContext context);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upgrade_backfills_keeps_new_members_in_the_ritual_and_rolls_back_cleanly(bool throughMigrationBuilder)
    {
        await RequireAsync();
        await using var provider = BuildServices();

        // A live pre-ritual table.
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LegacyBotContext>().Database;
            await db.ExecuteSqlRawAsync(CreatePreRitualTableSql);
            foreach (var (id, name, ends) in Original)
            {
                await db.ExecuteSqlRawAsync($"INSERT INTO vip_subscribers (user_id, username, expires_at) VALUES ({id}, '{name}', {TimeLiteral(ends)})");
            }
        }

        string before;
        await using (var scope = provider.CreateAsyncScope())
        {
            before = await DescribeSchemaAsync(scope.ServiceProvider.GetRequiredService<LegacyBotContext>());
        }

        await RunAsync(provider, throughMigrationBuilder, upgrade: true);

        await using (var scope = provider.CreateAsyncScope())
        {
            Assert.NotEqual(before, await DescribeSchemaAsync(scope.ServiceProvider.GetRequiredService<LegacyBotContext>()));
            var store = scope.ServiceProvider.GetRequiredService<IVipEntryStore>();
            var ritual = scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();

            // Active members keep access (completed, no ritual); expired ones are recorded as already handled.
            Assert.Equal(VipEntryStage.Completed, (await store.FindAsync(1))!.Stage);
            Assert.Equal(VipEntryStage.Completed, (await store.FindAsync(2))!.Stage);
            foreach (var expired in new long[] { 3, 4 })
            {
                var r = (await store.FindAsync(expired))!;
                Assert.Equal(VipEntryStage.ActivationConfirmation, r.Stage);
                Assert.NotNull(r.LapseHandledAt);
            }

            Assert.Equal(Original[0].Ends, (await store.FindAsync(1))!.SubscriptionEndsAt);
            Assert.Empty((await ritual.SweepAsync()).Lapses);

            // A member the old code inserts (no ritual column named) starts at stage 1 by the default.
            var db = scope.ServiceProvider.GetRequiredService<LegacyBotContext>().Database;
            await db.ExecuteSqlRawAsync($"INSERT INTO vip_subscribers (user_id, username, expires_at) VALUES (5, 'eve', {TimeLiteral(Whole(RealNow.AddDays(30)))})");
            Assert.Equal(VipEntryStage.ActivationConfirmation, (await store.FindAsync(5))!.Stage);

            // The store works on the upgraded table.
            Assert.Equal(VipEntryOutcome.Advanced, (await ritual.AdvanceAsync(5, VipEntryStage.ActivationConfirmation)).Outcome);
            Assert.Equal(VipEntryOutcome.Advanced, (await ritual.AdvanceAsync(5, VipEntryStage.ExpectationAlignment)).Outcome);
            var token = (await ritual.DeliverAccessAsync(5)).Access!.Link;
            Assert.Equal(VipEntryOutcome.Redeemed, (await ritual.RedeemTokenAsync(5, token)).Outcome);
            Assert.Equal(VipEntryOutcome.Renewed, (await ritual.ActivateAsync(1, RealNow.AddDays(60))).Outcome);
            Assert.Equal(VipEntryOutcome.Restarted, (await ritual.ActivateAsync(3, RealNow.AddDays(30))).Outcome);
            var funnel = await ritual.GetFunnelAsync();
            Assert.Equal(new VipEntryFunnel(1, 0, 0, 3), funnel);
        }

        await RunAsync(provider, throughMigrationBuilder, upgrade: false);

        await using (var scope = provider.CreateAsyncScope())
        {
            var context = scope.ServiceProvider.GetRequiredService<LegacyBotContext>();
            Assert.Equal(before, await DescribeSchemaAsync(context));
            var rows = await context.Database.SqlQueryRaw<string>(
                    "SELECT CAST(user_id AS TEXT) || ':' || username AS \"Value\" FROM vip_subscribers ORDER BY user_id")
                .ToListAsync();
            Assert.Equal(["1:ana", "2:ben", "3:cai", "4:dee", "5:eve"], rows);
        }
    }

    [Fact]
    public async Task Rolled_back_ritual_can_be_upgraded_again()
    {
        await RequireAsync();
        await using var provider = BuildServices();
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<LegacyBotContext>().Database.ExecuteSqlRawAsync(CreatePreRitualTableSql);
        }

        await RunAsync(provider, throughMigrationBuilder: true, upgrade: true);
        string upgraded;
        await using (var scope = provider.CreateAsyncScope())
        {
            upgraded = await DescribeSchemaAsync(scope.ServiceProvider.GetRequiredService<LegacyBotContext>());
        }

        await RunAsync(provider, throughMigrationBuilder: false, upgrade: false);
        await RunAsync(provider, throughMigrationBuilder: false, upgrade: true);
        await using var check = provider.CreateAsyncScope();
        var context = check.ServiceProvider.GetRequiredService<LegacyBotContext>();
        Assert.Equal(upgraded, await DescribeSchemaAsync(context));
        context.Add(new LegacySubscriber { UserId = 9, Username = "zed", ExpiresAt = RealNow.AddDays(1) });
        await context.SaveChangesAsync();
        Assert.Equal(VipEntryStage.ActivationConfirmation, (await check.ServiceProvider.GetRequiredService<IVipEntryStore>().FindAsync(9))!.Stage);
    }

    private ServiceProvider BuildServices()
    {
        var services = new ServiceCollection();
        services.AddDbContext<LegacyBotContext>(UseProvider);
        services.AddVipEntry().AddEntityFrameworkCoreStore<LegacyBotContext, LegacySubscriber>();
        return services.BuildServiceProvider();
    }

    private async Task RunAsync(ServiceProvider provider, bool throughMigrationBuilder, bool upgrade)
    {
        await using var scope = provider.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<LegacyBotContext>();
        if (!throughMigrationBuilder)
        {
            var statements = upgrade ? VipEntrySql.GetUpgradeStatements(Dialect) : VipEntrySql.GetRollbackStatements(Dialect);
            foreach (var statement in statements)
            {
                await context.Database.ExecuteSqlRawAsync(statement);
            }

            return;
        }

        // As a host's migration would: the operations go through the provider's migrations SQL generator and executor.
        var builder = new MigrationBuilder(context.Database.ProviderName);
        Assert.Equal(ActiveProvider, builder.ActiveProvider);
        if (upgrade)
        {
            builder.AddVipEntryColumns();
        }
        else
        {
            builder.DropVipEntryColumns();
        }

        var commands = context.GetService<IMigrationsSqlGenerator>().Generate(builder.Operations, context.GetService<IDesignTimeModel>().Model);
        await context.GetService<IMigrationCommandExecutor>().ExecuteNonQueryAsync(commands, context.GetService<IRelationalConnection>());
    }

    protected static DateTimeOffset Whole(DateTimeOffset value) => new(value.UtcDateTime.Ticks - (value.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    protected static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
