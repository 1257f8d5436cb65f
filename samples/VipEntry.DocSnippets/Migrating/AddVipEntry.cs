using Microsoft.EntityFrameworkCore.Migrations;
using VipEntry.Core.EfCore;

namespace VipEntry.DocSnippets.Migrating;

/// <summary>docs/migrating-an-existing-bot.md: the first migration's bodies (Path A, step 2).</summary>
public sealed class AddVipEntry : Migration
{
    #region first-migration
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.AddVipEntryColumns();
    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropVipEntryColumns();
    #endregion
}
