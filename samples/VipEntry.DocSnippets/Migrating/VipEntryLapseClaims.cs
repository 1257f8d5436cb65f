using Microsoft.EntityFrameworkCore.Migrations;
using VipEntry.Core.EfCore;

namespace VipEntry.DocSnippets.Migrating;

/// <summary>docs/migrating-an-existing-bot.md: the lapse claim step.</summary>
public sealed class VipEntryLapseClaims : Migration
{
    #region lapse-claims
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.AddVipEntryLapseClaimColumns();
    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropVipEntryLapseClaimColumns();
    #endregion
}
