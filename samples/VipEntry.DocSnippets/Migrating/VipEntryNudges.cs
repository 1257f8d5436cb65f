using Microsoft.EntityFrameworkCore.Migrations;
using VipEntry.Core.EfCore;

namespace VipEntry.DocSnippets.Migrating;

/// <summary>docs/migrating-an-existing-bot.md: the nudge step.</summary>
public sealed class VipEntryNudges : Migration
{
    #region nudges
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.AddVipEntryNudgeColumns();
    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropVipEntryNudgeColumns();
    #endregion
}
