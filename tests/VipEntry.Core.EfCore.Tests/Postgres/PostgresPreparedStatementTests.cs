using Microsoft.EntityFrameworkCore;
using Npgsql;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Stages;

namespace VipEntry.Core.EfCore.Tests.Postgres;

/// <summary>
/// The store prepares its transitions on PostgreSQL itself, with the connection string's defaults (no <c>Max Auto
/// Prepare</c>): after a run of advances on one connection, the server's <c>pg_prepared_statements</c> of that session
/// holds the advance's statement, executed by every advance but the first, which prepared it. With
/// <see cref="VipEntryModelOptions.PrepareStatements"/> off, nothing is prepared.
/// </summary>
public sealed class PostgresPreparedStatementTests : IAsyncLifetime
{
    private const int Advances = 12;
    private string? _connectionString;

    public async ValueTask InitializeAsync()
    {
        if (await PostgresServer.IsAvailableAsync())
        {
            _connectionString = await PostgresServer.CreateDatabaseAsync("prepare");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }

    [Fact]
    public async Task R3_the_transitions_are_prepared_once_per_connection_without_the_hosts_setting()
    {
        await PostgresServer.RequireAsync();
        var (prepared, executions) = await AdvanceAsync("prepared", prepare: true, firstId: 1);

        var advance = Assert.Single(prepared, s => s.StartsWith("UPDATE", StringComparison.Ordinal) && s.Contains("vip_entry_stage_entered_at", StringComparison.Ordinal));
        Assert.Contains("CASE WHEN", advance, StringComparison.Ordinal);
        // Every advance but the first ran the prepared statement (the first prepared it, then ran it: counted too).
        Assert.True(executions >= Advances, $"the prepared advance ran {executions} times, not {Advances}");
    }

    [Fact]
    public async Task R3_nothing_is_prepared_when_the_model_turns_it_off()
    {
        await PostgresServer.RequireAsync();
        var (prepared, _) = await AdvanceAsync("unprepared", prepare: false, firstId: 1001);

        Assert.DoesNotContain(prepared, s => s.StartsWith("UPDATE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task R19_the_workers_claim_and_settlement_are_prepared_too()
    {
        await PostgresServer.RequireAsync();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var context = VariantContext.Create(o => o.UseNpgsql(connection), "prepare-channel", m => m.AddVipEntrySubscribers());
        await context.Database.EnsureCreatedAsync();
        var channel = new EfCoreVipEntryChannelStore<VariantContext>(context);
        var now = DateTimeOffset.UtcNow.AddTicks(1234567);
        for (var id = 1; id <= Advances; id++)
        {
            await channel.OweRevocationsAsync("main", id, ["https://t.me/+prepared" + id], now.AddMinutes(-1));
            var record = (await channel.FindAsync("main", id))!;
            Assert.True(await channel.TryClaimAsync(record, "claim-" + id, now, now.AddMinutes(10)));
            Assert.True(await channel.TrySettleAsync(new VipEntry.Core.Storage.VipEntryChannelSettlement("main", id, "claim-" + id, record.Version, false, false, [], null)));
        }

        var executions = new Dictionary<string, long>();
        await using var command = new NpgsqlCommand("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements WHERE statement LIKE 'UPDATE vip_entry_channel%'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            executions[reader.GetString(0)] = reader.GetInt64(1);
        }

        Assert.Contains(executions, e => e.Key.Contains("SET claim =", StringComparison.Ordinal) && e.Value >= Advances);
        Assert.Contains(executions, e => e.Key.Contains("SET may_be_inside =", StringComparison.Ordinal) && e.Value >= Advances);
    }

    // Advances subscribers firstId … on one open connection (the host's own, no Max Auto Prepare), then reads that
    // session's prepared statements and how often the advance's was executed (generic + custom plans).
    private async Task<(List<string> Statements, long Executions)> AdvanceAsync(string variant, bool prepare, long firstId)
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString);
        Assert.Equal(0, builder.MaxAutoPrepare);
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var context = VariantContext.Create(
            o => o.UseNpgsql(connection),
            "prepare-" + variant,
            m => m.AddVipEntrySubscribers(o => o.PrepareStatements = prepare));
        await context.Database.EnsureCreatedAsync();
        var store = new EfCoreVipEntryStore<VariantContext, VipEntrySubscriber>(context, canInsert: true);
        var now = DateTimeOffset.UtcNow.AddTicks(1234567);
        for (var id = firstId; id < firstId + Advances; id++)
        {
            Assert.True(await store.TryCreateAsync(id, now.AddDays(30)));
            Assert.True(await store.TryAdvanceAsync(id, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, now));
        }

        var statements = new List<string>();
        long executions = 0;
        await using var command = new NpgsqlCommand("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var text = reader.GetString(0);
            statements.Add(text);
            if (text.StartsWith("UPDATE", StringComparison.Ordinal) && text.Contains("vip_entry_stage_entered_at", StringComparison.Ordinal))
            {
                executions = reader.GetInt64(1);
            }
        }

        return (statements, executions);
    }
}
