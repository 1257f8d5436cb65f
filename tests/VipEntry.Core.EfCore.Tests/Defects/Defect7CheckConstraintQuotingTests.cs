using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Stages;

namespace VipEntry.Core.EfCore.Tests.Defects;

/// <summary>
/// Defect 7: the stage check constraint's SQL wrapped the configured stage column name in double quotes without
/// escaping it, so a name containing <c>"</c> produced invalid SQL and <c>EnsureCreated</c> (or a migration) failed.
/// </summary>
public sealed class Defect7CheckConstraintQuotingTests
{
    public static TheoryData<DatabaseEngine, string> Names => new()
    {
        { DatabaseEngine.Sqlite, "weird\"stage" },
        { DatabaseEngine.Sqlite, "Ritual \"Stage\" column" },
        { DatabaseEngine.Postgres, "weird\"stage" },
        { DatabaseEngine.Postgres, "Ritual \"Stage\" column" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Defect7_a_stage_column_name_with_quotes_creates_the_schema_and_the_check_constraint_still_holds(DatabaseEngine engine, string stageColumn)
    {
        await using var database = await ScratchDatabase.CreateAsync(engine, "defect7");
        await using var context = VariantContext.Create(database, $"defect7:{stageColumn}", m => m.AddVipEntrySubscribers(o => o.StageColumn = stageColumn));

        // The model keeps the name as configured; only the constraint's SQL escapes it.
        Assert.Equal(stageColumn, context.Model.FindEntityType(typeof(VipEntrySubscriber))!.FindProperty(VipEntryPropertyNames.Stage)!.GetColumnName());
        Assert.True(await context.Database.EnsureCreatedAsync());

        // A ritual step through the store over the odd column.
        var store = new EfCoreVipEntryStore<VariantContext, VipEntrySubscriber>(context, canInsert: true);
        var now = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.True(await store.TryCreateAsync(1, now.AddDays(30)));
        Assert.True(await store.TryAdvanceAsync(1, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, now));
        Assert.Equal(VipEntryStage.ExpectationAlignment, (await store.FindAsync(1))!.Stage);
        Assert.True(await store.TryCreateAsync(2, now.AddDays(30)));
        Assert.True(await store.TrySkipAsync((await store.FindAsync(2))!, now));
        Assert.Equal(VipEntryStage.Completed, (await store.FindAsync(2))!.Stage);

        // The constraint names the real column: 3 and NULL pass, 7 and 0 are rejected by the database itself.
        var sql = context.GetService<ISqlGenerationHelper>();
        string SetStage(string value) => $"UPDATE {sql.DelimitIdentifier("vip_subscribers")} SET {sql.DelimitIdentifier(stageColumn)} = {value} WHERE {sql.DelimitIdentifier("user_id")} = 1";
        Assert.Equal(1, await context.Database.ExecuteSqlRawAsync(SetStage("3")));
        Assert.Equal(1, await context.Database.ExecuteSqlRawAsync(SetStage("NULL")));
        foreach (var bad in new[] { "7", "0" })
        {
            var error = await Assert.ThrowsAnyAsync<DbException>(() => context.Database.ExecuteSqlRawAsync(SetStage(bad)));
            if (engine == DatabaseEngine.Postgres)
            {
                var pg = Assert.IsType<PostgresException>(error);
                Assert.Equal(PostgresErrorCodes.CheckViolation, pg.SqlState);
                Assert.Equal("ck_vip_entry_stage", pg.ConstraintName);
            }
            else
            {
                Assert.Equal(19, Assert.IsType<SqliteException>(error).SqliteErrorCode); // SQLITE_CONSTRAINT
                Assert.Contains("CHECK constraint failed: ck_vip_entry_stage", error.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(VipEntryStage.Completed, (await store.FindAsync(1))!.Stage);
    }
}
