using Microsoft.EntityFrameworkCore.Migrations;
using VipEntry.Core.EfCore;

namespace VipEntry.DocSnippets.Migrating;

/// <summary>docs/migrating-an-existing-bot.md: the channel facts step.</summary>
public sealed class VipEntryChannel : Migration
{
    #region channel
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.AddVipEntryChannelTable();
    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropVipEntryChannelTable();
    #endregion
}
