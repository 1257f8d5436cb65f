using Microsoft.EntityFrameworkCore.Migrations;

namespace VipEntry.DocSnippets.Migrating;

/// <summary>docs/migrating-an-existing-bot.md: the first migration, frozen to the first version's statements.</summary>
public sealed class FrozenAddVipEntry : Migration
{
    #region frozen
    // AddVipEntry (the first migration): the first version's statements, frozen.
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""ALTER TABLE "vip_subscribers" ADD COLUMN "vip_entry_stage" integer NULL DEFAULT 1 ...""");
        // ... one call per statement of the first version's vipentry-upgrade.postgresql.sql
    }
    #endregion
}
