using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Postgres;

/// <summary>
/// Every single-row transition takes its row by the primary key on PostgreSQL whatever the statistics say: 10,000 rows are
/// analyzed in one state, then all moved to another by one bulk statement without a new ANALYZE (as a bulk activation, a
/// promotion or the benchmark's reset does), so the planner believes the rows' new stage (and ended subscriptions) are
/// rare. Each transition's exact statement, with its parameters, is explained as a custom plan (the values known: what
/// an unprepared statement gets) and as a generic plan (what a prepared one may get), and must be an index scan of the
/// primary key and nothing else. Before the store hid its non-key conditions from the planner, the redeem's custom plan
/// took the stage index and filtered every row at stage 3, and a generic plan took the token index.
/// </summary>
[Collection(HeavyPostgres.Name)]
public sealed partial class PostgresSkewedPlanTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rows = 10_000;
    private const int Ended = 5_001; // ids from here on have ended (after the ANALYZE)
    private string? _connectionString;

    public async ValueTask InitializeAsync()
    {
        if (!await PostgresServer.IsAvailableAsync())
        {
            return;
        }

        _connectionString = await PostgresServer.CreateDatabaseAsync("skew");
        await using var context = new ReadyMadeContext(new DbContextOptionsBuilder<ReadyMadeContext>().UseNpgsql(_connectionString).Options);
        await context.Database.EnsureCreatedAsync();

        // No autovacuum: it would analyze the table after the bulk change at a moment of its choosing.
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "ALTER TABLE vip_subscribers SET (autovacuum_enabled = false)");
    }

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }

    [Fact]
    public async Task R3_every_transition_uses_the_primary_key_after_all_rows_moved_to_stage_3_unanalyzed()
    {
        await PostgresServer.RequireAsync();
        await using var connection = await OpenAsync();
        var now = DateTimeOffset.UtcNow.AddTicks(1234567);
        var stored = Sql(now);

        // Analyzed at stage 1, every subscription running; then all at stage 3 with a live grant, half of them ended.
        await ExecuteAsync(connection, $"""
            INSERT INTO vip_subscribers (user_id, expires_at, vip_entry_stage)
            SELECT i, {stored} + interval '30 days', 1 FROM generate_series(1, {Rows}) AS i
            """);
        await ExecuteAsync(connection, "ANALYZE vip_subscribers");
        await ExecuteAsync(connection, $"""
            UPDATE vip_subscribers SET vip_entry_stage = 3, vip_entry_token = lpad(user_id::text, 64, '0'),
                invite_link_sent_at = {stored} - interval '1 hour', vip_entry_stage_entered_at = {stored} - interval '2 days',
                expires_at = CASE WHEN user_id >= {Ended} THEN {stored} - interval '1 day' ELSE expires_at END
            """);
        await AssertStatisticsAreStaleAsync(connection, "vip_subscribers", "vip_entry_stage = 3");

        var (provider, counter) = Services();
        await using (provider)
        {
            await using var scope = provider.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IVipEntryStore>();
            var transitions = new List<(string Name, bool Changed)>
            {
                ("redeem", await store.TryRedeemAsync(1, VipEntryStage.AccessDelivery, Hash(1), now, now.AddHours(-24))),
                ("issue (replace)", await store.TryIssueGrantAsync(2, VipEntryStage.AccessDelivery, Hash(2), Hash(Rows + 2), now, now)),
                ("record link", await store.TryRecordLinkAsync(3, Hash(3), "https://t.me/+skew3")),
                ("withdraw", await store.TryWithdrawGrantAsync(4, Hash(4))),
                ("skip", await store.TrySkipAsync((await store.FindAsync(5))!, now)),
                ("idle nudge", await store.TryClaimIdleNudgeAsync((await store.FindAsync(6))!, now)),
                ("grant nudge", await store.TryClaimGrantNudgeAsync((await store.FindAsync(7))!, now)),
                ("renew", await store.TryRenewAsync((await store.FindAsync(8))!, now.AddDays(60), restart: false)),
                ("lapse claim", await store.TryClaimLapseAsync((await store.FindAsync(Ended))!, "claim-skew", now, now.AddMinutes(5))),
                ("lapse confirm", await store.TryConfirmLapseAsync(Ended, "claim-skew", now)),
            };

            // Each ran, so each statement below is one that changes a row (not a path that returned early).
            Assert.All(transitions, t => Assert.True(t.Changed, t.Name));
        }

        await AssertEveryUpdateUsesTheKeyAsync(connection, counter, expected: 10, "vip_subscribers", "user_id");
    }

    [Fact]
    public async Task R3_every_transition_uses_the_primary_key_after_all_rows_moved_to_stage_1_unanalyzed()
    {
        await PostgresServer.RequireAsync();
        await using var connection = await OpenAsync();
        var now = DateTimeOffset.UtcNow.AddTicks(7654321);
        var stored = Sql(now);

        // Analyzed at stage 3 with grants and every lapse confirmed; then a bulk activation puts them all back at stage 1.
        await ExecuteAsync(connection, $"""
            INSERT INTO vip_subscribers (user_id, expires_at, vip_entry_stage, vip_entry_token, invite_link_sent_at, vip_entry_lapse_handled_at)
            SELECT i, {stored} - interval '3 days', 3, lpad(i::text, 64, '0'), {stored} - interval '4 days', {stored} - interval '2 days'
            FROM generate_series(1, {Rows}) AS i
            """);
        await ExecuteAsync(connection, "ANALYZE vip_subscribers");
        await ExecuteAsync(connection, $"""
            UPDATE vip_subscribers SET vip_entry_stage = 1, vip_entry_token = NULL, invite_link_sent_at = NULL,
                vip_entry_lapse_handled_at = NULL, expires_at = {stored} + interval '30 days',
                vip_entry_stage_entered_at = {stored} - interval '2 days'
            """);
        await AssertStatisticsAreStaleAsync(connection, "vip_subscribers", "vip_entry_stage = 1");

        var (provider, counter) = Services();
        await using (provider)
        {
            await using var scope = provider.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IVipEntryStore>();
            var transitions = new List<(string Name, bool Changed)>
            {
                ("advance", await store.TryAdvanceAsync(1, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, now)),
                ("idle nudge", await store.TryClaimIdleNudgeAsync((await store.FindAsync(2))!, now)),
                ("renew (restart)", await store.TryRenewAsync((await store.FindAsync(3))!, now.AddDays(60), restart: true)),
                ("skip", await store.TrySkipAsync((await store.FindAsync(4))!, now)),
            };
            Assert.All(transitions, t => Assert.True(t.Changed, t.Name));

            // Stage 3 is what the statistics last saw as common: a grant for a member moved there now.
            Assert.True(await store.TryAdvanceAsync(5, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, now));
            Assert.True(await store.TryAdvanceAsync(5, VipEntryStage.ExpectationAlignment, VipEntryStage.AccessDelivery, now));
            Assert.True(await store.TryIssueGrantAsync(5, VipEntryStage.AccessDelivery, null, Hash(Rows + 5), now, now));
        }

        await AssertEveryUpdateUsesTheKeyAsync(connection, counter, expected: 7, "vip_subscribers", "user_id");
    }

    [Fact]
    public async Task R19_the_workers_claim_and_settlement_use_the_primary_key_after_every_record_was_marked_due_unanalyzed()
    {
        await PostgresServer.RequireAsync();
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "ALTER TABLE vip_entry_channel SET (autovacuum_enabled = false)");
        var now = DateTimeOffset.UtcNow.AddTicks(2345678);
        var stored = Sql(now);

        // Analyzed with nothing owed; then a bulk change marks every record due (as a bulk renewal's MarkDue does).
        await ExecuteAsync(connection, $"""
            INSERT INTO vip_entry_channel (chat, user_id, may_be_inside, ban_may_stand, links_to_revoke, due_at, claim, lease_until, version)
            SELECT 'main', i, TRUE, FALSE, NULL, NULL, NULL, NULL, 1 FROM generate_series(1, {Rows}) AS i
            """);
        await ExecuteAsync(connection, "ANALYZE vip_entry_channel");
        await ExecuteAsync(connection, $"UPDATE vip_entry_channel SET due_at = {stored} - interval '1 minute', version = 2");
        await AssertStatisticsAreStaleAsync(connection, "vip_entry_channel", "due_at <= now()");

        var (provider, counter) = Services();
        await using (provider)
        {
            await using var scope = provider.CreateAsyncScope();
            var channel = scope.ServiceProvider.GetRequiredService<IVipEntryChannelStore>();
            var record = (await channel.FindAsync("main", 42))!;
            Assert.True(await channel.TryClaimAsync(record, "claim-skew", now, now.AddMinutes(10)));
            Assert.True(await channel.TrySettleAsync(new VipEntryChannelSettlement("main", 42, "claim-skew", record.Version, true, false, [], now.AddDays(3))));
        }

        await AssertEveryUpdateUsesTheKeyAsync(connection, counter, expected: 2, "vip_entry_channel", "user_id");
    }

    private static string Hash(long id) => id.ToString("D64", CultureInfo.InvariantCulture);

    private static string Sql(DateTimeOffset instant) =>
        "'" + instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00'::timestamptz";

    private (ServiceProvider Provider, CommandCounter Counter) Services()
    {
        var counter = new CommandCounter();
        var services = new ServiceCollection();
        services.AddDbContext<ReadyMadeContext>(o => o.UseNpgsql(_connectionString).AddInterceptors(counter));
        services.AddVipEntry().AddEntityFrameworkCoreStore<ReadyMadeContext>();
        return (services.BuildServiceProvider(), counter);
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    // The scenario is what it says: the planner's statistics still count (almost) no row matching the predicate.
    private static async Task AssertStatisticsAreStaleAsync(NpgsqlConnection connection, string table, string predicate)
    {
        await using var command = new NpgsqlCommand($"EXPLAIN (FORMAT JSON) SELECT * FROM {table} WHERE {predicate}", connection);
        var plan = JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!);
        var estimate = plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
        Assert.True(estimate < Rows / 100, $"the planner estimates {estimate} rows for {predicate}: the statistics are not stale");
    }

    private async Task AssertEveryUpdateUsesTheKeyAsync(NpgsqlConnection connection, CommandCounter counter, int expected, string table, string keyColumn)
    {
        var updates = counter.Commands.Where(c => c.Sql.StartsWith("UPDATE", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected, updates.Count);
        var key = (string)(await ScalarAsync(connection, $"SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = '{table}'::regclass AND i.indisprimary"))!;
        var i = 0;
        foreach (var (sql, parameters) in updates)
        {
            foreach (var mode in (string[])["force_custom_plan", "force_generic_plan"])
            {
                var plan = await ExplainAsync(connection, sql, parameters, mode, "s" + i++);
                output.WriteLine($"{mode}: {sql}\n{plan}\n");
                var scans = Scans(JsonDocument.Parse(plan).RootElement[0].GetProperty("Plan"), table).ToList();
                var scan = Assert.Single(scans);
                Assert.True(scan.Node is "Index Scan" && scan.Index == key, $"{mode} of\n{sql}\nscans {scan.Node} {scan.Index}, not the primary key {key}:\n{plan}");
                Assert.Contains(keyColumn, scan.Condition, StringComparison.Ordinal);
            }
        }
    }

    // Every node that reads the subscriber table, with its index and index condition.
    private static IEnumerable<(string Node, string? Index, string Condition)> Scans(JsonElement node, string table)
    {
        if (node.TryGetProperty("Relation Name", out var relation) && relation.GetString() == table && !node.GetProperty("Node Type").GetString()!.Equals("ModifyTable", StringComparison.Ordinal))
        {
            yield return (
                node.GetProperty("Node Type").GetString()!,
                node.TryGetProperty("Index Name", out var index) ? index.GetString() : null,
                node.TryGetProperty("Index Cond", out var condition) ? condition.GetString()! : "");
        }

        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                foreach (var scan in Scans(child, table))
                {
                    yield return scan;
                }
            }
        }
    }

    // The exact statement as a server-side prepared statement (its @pN placeholders as $N+1, the types inferred from the
    // columns as for EF's typed parameters), explained for the same values under the given plan cache mode, in a
    // transaction that is rolled back (EXPLAIN without ANALYZE executes nothing anyway).
    private static async Task<string> ExplainAsync(NpgsqlConnection connection, string sql, (string Name, object? Value)[] parameters, string mode, string name)
    {
        var positional = Placeholder().Replace(sql, m => "$" + (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture));
        var byIndex = parameters.ToDictionary(p => int.Parse(p.Name.TrimStart('@', 'p'), CultureInfo.InvariantCulture), p => p.Value);
        var arguments = string.Join(", ", Enumerable.Range(0, byIndex.Count).Select(i => Literal(byIndex[i])));
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, $"SET LOCAL plan_cache_mode = {mode}");
        await ExecuteAsync(connection, $"PREPARE {name} AS {positional}");
        var plan = (string)(await ScalarAsync(connection, $"EXPLAIN (FORMAT JSON) EXECUTE {name}({arguments})"))!;
        await ExecuteAsync(connection, $"DEALLOCATE {name}");
        await transaction.RollbackAsync();
        return plan;
    }

    private static string Literal(object? value) => value switch
    {
        null or DBNull => "NULL",
        bool b => b ? "TRUE" : "FALSE",
        DateTime d => "'" + d.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00'",
        DateTimeOffset d => "'" + d.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00'",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        IFormattable f => "'" + f.ToString(null, CultureInfo.InvariantCulture) + "'",
        _ => throw new InvalidOperationException($"No literal for {value.GetType()}"),
    };

    [GeneratedRegex(@"@p(\d+)")]
    private static partial Regex Placeholder();

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
