using VipEntry.Core.Stages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Contract;
using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Times;

/// <summary>
/// R10 on the real engines: instants given in any offset are stored as UTC, read back exactly (to the microsecond),
/// and compared and ordered correctly in SQL — where SQLite's default DateTimeOffset text would order by local clock time.
/// </summary>
public abstract class TimeStorageTests<TBackend>(TBackend backend) : StoreTestBase<TBackend>(backend)
    where TBackend : EfBackend<ReadyMadeContext, VipEntrySubscriber>
{
    [Fact]
    public async Task Sql_ordering_and_comparisons_follow_the_instant_not_the_offset()
    {
        // Local clock text order (14:00+09, 09:00+00, 08:00-05) is the reverse of the instants (05:00Z, 09:00Z, 13:00Z).
        var baseDay = new DateTime(2030, 5, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var tokyo = new DateTimeOffset(baseDay.AddHours(14), TimeSpan.FromHours(9));
        var london = new DateTimeOffset(baseDay.AddHours(9), TimeSpan.Zero);
        var lima = new DateTimeOffset(baseDay.AddHours(8), TimeSpan.FromHours(-5));
        Assert.True(await Store().TryCreateAsync(1, lima));
        Assert.True(await Store().TryCreateAsync(2, tokyo));
        Assert.True(await Store().TryCreateAsync(3, london));

        var at = new DateTimeOffset(baseDay.AddHours(20), TimeSpan.FromHours(10)); // 10:00Z
        var lapses = await Store().ListClaimableLapsesAsync(at, 10);
        Assert.Equal([2L, 3L], lapses.Select(r => r.SubscriberId));
        Assert.Equal([tokyo, london], lapses.Select(r => r.SubscriptionEndsAt));
        Assert.All(lapses, r => Assert.Equal(TimeSpan.Zero, r.SubscriptionEndsAt.Offset));
        var funnel = await Store().CountByStageAsync(at);
        Assert.Equal(1, funnel[Stages.VipEntryStage.ActivationConfirmation]);
    }

    [Fact]
    public async Task Times_round_trip_to_the_microsecond()
    {
        var ends = new DateTimeOffset(2030, 5, 1, 23, 59, 59, TimeSpan.FromHours(-3)).AddTicks(9_999_990);
        Assert.True(await Store().TryCreateAsync(1, ends));
        var read = (await Store().FindAsync(1))!.SubscriptionEndsAt;
        Assert.Equal(ends, read);
        Assert.Equal(ends.UtcTicks, read.UtcTicks);

        // Sub-microsecond ticks are dropped the same way on every engine, never rounded up past the instant.
        Assert.True(await Store().TryCreateAsync(2, ends.AddTicks(7)));
        Assert.Equal(ends, (await Store().FindAsync(2))!.SubscriptionEndsAt);
    }

    [Fact]
    public async Task The_column_holds_utc()
    {
        var ends = new DateTimeOffset(2030, 5, 1, 12, 0, 0, TimeSpan.FromHours(5));
        Assert.True(await Store().TryCreateAsync(1, ends));
        await using var scope = Provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReadyMadeContext>().Database;
        var raw = Backend.Engine == DatabaseEngine.Sqlite
            ? await db.SqlQueryRaw<string>("SELECT expires_at AS \"Value\" FROM vip_subscribers").SingleAsync()
            : await db.SqlQueryRaw<string>("SELECT to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' ' || pg_typeof(expires_at)::text AS \"Value\" FROM vip_subscribers").SingleAsync();
        Assert.Equal(Backend.Engine == DatabaseEngine.Sqlite ? "2030-05-01 07:00:00" : "2030-05-01 07:00:00 timestamp with time zone", raw);
    }

    [Fact]
    public async Task Links_longer_than_the_column_are_refused_not_thrown()
    {
        Assert.True(await Store().TryCreateAsync(1, Now.AddDays(1)));
        Assert.True(await Store().TryAdvanceAsync(1, Stages.VipEntryStage.ActivationConfirmation, Stages.VipEntryStage.ExpectationAlignment, Now));
        Assert.True(await Store().TryAdvanceAsync(1, Stages.VipEntryStage.ExpectationAlignment, Stages.VipEntryStage.AccessDelivery, Now));
        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), Now, Now));
        Assert.False(await Store().TryRecordLinkAsync(1, HashOf('a'), "https://t.me/+" + new string('x', VipEntryPropertyNames.MaxInviteLinkLength)));
        Assert.Null((await Store().FindAsync(1))!.GrantLink);
    }
}
