using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace VipEntry.SampleBot.Tests;

/// <summary>The sample with no configuration: the terminal chat, driven through piped stdin and read on stdout.</summary>
[Collection("SampleBot")]
public sealed partial class TerminalModeTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vipentry-terminal-" + Guid.NewGuid().ToString("N"));

    public TerminalModeTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task A_newcomer_plays_the_whole_ritual_through_piped_stdin()
    {
        using var session = new TerminalSession(_folder);
        await session.WriteLineAsync("/newcode 30");
        var code = (await session.WaitForAsync(StartLine(), Timeout)).Groups["code"].Value;

        foreach (var line in new[] { "/start " + code, "1", "1", "1", "/status", "/funnel", "/start " + code, "/help" })
        {
            await session.WriteLineAsync(line);
        }

        Assert.Equal(0, await session.EndInputAndWaitAsync(Timeout));
        var output = session.Output;
        Assert.Contains("Subscription active until", output, StringComparison.Ordinal);
        Assert.Contains("1) Continue", output, StringComparison.Ordinal);
        Assert.Contains("1) I agree", output, StringComparison.Ordinal);
        var link = SimulatedLink().Match(output);
        Assert.True(link.Success, output);
        Assert.Contains("[channel] user 1000 joined the VIP channel", output, StringComparison.Ordinal);
        Assert.Contains($"[channel] invite link {link.Value} revoked", output, StringComparison.Ordinal);
        Assert.Contains("Welcome to the VIP channel", output, StringComparison.Ordinal);
        Assert.Contains("User 1000: completed; subscription active until", output, StringComparison.Ordinal);
        Assert.Matches(@"completed\s+█+ 1", output);
        Assert.Matches(@"1 confirm\s+0", output);
        Assert.Contains("This link or code is not valid.", output, StringComparison.Ordinal);
        Assert.Contains("/newcode <days>", output, StringComparison.Ordinal);
        Assert.Contains("(end of input)", output, StringComparison.Ordinal);

        // Stage order on screen: prompts appear in ritual order.
        Assert.True(output.IndexOf("Continue", StringComparison.Ordinal) < output.IndexOf("I agree", StringComparison.Ordinal));
        Assert.True(output.IndexOf("I agree", StringComparison.Ordinal) < output.IndexOf("joined the VIP channel", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_folder, "data", "vipentry.db")));
    }

    [Fact]
    public async Task Issue14_Defect6_GrantCommand_ActivatesEveryListedMember()
    {
        // The admin's /grant with two ids: both are enrolled at stage 1 for 30 days; an id not listed is not.
        using var session = new TerminalSession(_folder);
        foreach (var line in new[] { "/grant 30 111 222", "/status 111", "/status 222", "/status 333" })
        {
            await session.WriteLineAsync(line);
        }

        Assert.Equal(0, await session.EndInputAndWaitAsync(Timeout));
        var output = Flat(session.Output);
        Assert.DoesNotContain("Usage: /grant", output, StringComparison.Ordinal);
        Assert.Contains("Granted 30 days to 2 members", output, StringComparison.Ordinal);
        foreach (var id in new[] { "111", "222" })
        {
            var status = Regex.Match(output, $@"User {id}: stage 1 \(activation confirmation\); subscription active until (?<until>\d{{4}}-\d\d-\d\d \d\d:\d\d) UTC\.");
            Assert.True(status.Success, output);
            var until = DateTimeOffset.ParseExact(status.Groups["until"].Value + "Z", "yyyy-MM-dd HH:mmK", CultureInfo.InvariantCulture);
            Assert.InRange(until, DateTimeOffset.UtcNow.AddDays(30).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
        }

        Assert.Contains("User 333: not enrolled.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R16_A_completed_member_gets_back_in_with_the_numbered_reentry_button()
    {
        using var session = new TerminalSession(_folder);
        await session.WriteLineAsync("/newcode 30");
        var code = (await session.WaitForAsync(StartLine(), Timeout)).Groups["code"].Value;

        // The ritual and the join. Inside, the button gives no link (R16, R19: the transport says they are inside); after
        // "leave", /start's completed notice has its button as choice 1, which gives a new link.
        foreach (var line in new[] { "/start " + code, "1", "1", "1", "/start", "1", "leave", "/start", "/status", "1" })
        {
            await session.WriteLineAsync(line);
        }

        var reentry = await session.WaitForAsync(SecondSimulatedLink(), Timeout);
        await session.WriteLineAsync("join");
        await session.WriteLineAsync("/status");
        Assert.Equal(0, await session.EndInputAndWaitAsync(Timeout));

        var output = session.Output;
        Assert.Contains("Your VIP entry is complete", output, StringComparison.Ordinal);
        Assert.Contains("1) Get a new entry link", output, StringComparison.Ordinal);
        Assert.Contains("can ask for a re-entry link", Flat(output), StringComparison.Ordinal);
        Assert.NotEqual(reentry.Groups["first"].Value, reentry.Groups["second"].Value);
        Assert.Equal(2, Regex.Count(output, @"\[channel\] user 1000 joined the VIP channel"));
        Assert.Contains("You are already inside the VIP channel", Flat(output), StringComparison.Ordinal);
        Assert.Contains("[channel] user 1000 left the VIP channel", output, StringComparison.Ordinal);
        Assert.Contains($"[channel] invite link {reentry.Groups["second"].Value} revoked", output, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(output, "Welcome to the VIP channel"));
    }

    [Fact]
    public async Task R14_The_library_texts_follow_VipEntry__DefaultCulture()
    {
        using var session = new TerminalSession(_folder, new Dictionary<string, string> { ["VipEntry__DefaultCulture"] = "es" });
        await session.WriteLineAsync("/newcode 30");
        var code = (await session.WaitForAsync(StartLine(), Timeout)).Groups["code"].Value;
        await session.WriteLineAsync("/start " + code);
        await session.WriteLineAsync("1");

        Assert.Equal(0, await session.EndInputAndWaitAsync(Timeout));
        Assert.Contains("1) Continuar", session.Output, StringComparison.Ordinal);
        Assert.Contains("1) Acepto", session.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("1) Continue", session.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ritual_state_survives_a_restart_of_the_terminal_bot()
    {
        using (var first = new TerminalSession(_folder))
        {
            await first.WriteLineAsync("/newcode 7");
            var code = (await first.WaitForAsync(StartLine(), Timeout)).Groups["code"].Value;
            await first.WriteLineAsync("/start " + code);
            await first.WriteLineAsync("1");
            Assert.Equal(0, await first.EndInputAndWaitAsync(Timeout));
            Assert.Contains("1) I agree", first.Output, StringComparison.Ordinal);
        }

        using var second = new TerminalSession(_folder);
        await second.WriteLineAsync("/start");
        await second.WriteLineAsync("/quit");
        Assert.Equal(0, await second.EndInputAndWaitAsync(Timeout));
        Assert.Contains("1) I agree", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("1) Continue", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R19_A_database_of_the_previous_version_gets_the_channel_table_at_start_with_its_completed_members_recorded_inside()
    {
        using (var first = new TerminalSession(_folder))
        {
            await first.WriteLineAsync("/newcode 30");
            var code = (await first.WaitForAsync(StartLine(), Timeout)).Groups["code"].Value;
            foreach (var line in new[] { "/start " + code, "1", "1", "1" })
            {
                await first.WriteLineAsync(line);
            }

            Assert.Equal(0, await first.EndInputAndWaitAsync(Timeout));
            Assert.Contains("[channel] user 1000 joined the VIP channel", first.Output, StringComparison.Ordinal);
        }

        // What the previous version of the sample left: the same database without VipEntry's channel table.
        var database = Path.Combine(_folder, "data", "vipentry.db");
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE vip_entry_channel";
            await drop.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        SqliteConnection.ClearAllPools();
        using (var second = new TerminalSession(_folder))
        {
            await second.WriteLineAsync("/status");
            await second.WriteLineAsync("/quit");
            Assert.Equal(0, await second.EndInputAndWaitAsync(Timeout));
            Assert.Contains("User 1000: completed", Flat(second.Output), StringComparison.Ordinal);
        }

        // Upgraded at start by VipEntry's own step: the completed member is recorded as possibly inside, due at the end of
        // their subscription (when the worker removes them unless they renewed).
        await using var check = new SqliteConnection($"Data Source={database}");
        await check.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = check.CreateCommand();
        query.CommandText = "SELECT chat, may_be_inside, ban_may_stand, due_at IS NOT NULL FROM vip_entry_channel WHERE user_id = 1000";
        await using var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal("main", reader.GetString(0));
        Assert.True(reader.GetBoolean(1));
        Assert.False(reader.GetBoolean(2));
        Assert.True(reader.GetBoolean(3));
        Assert.False(await reader.ReadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Issue17_A_database_without_the_payments_table_gets_it_at_start_with_its_indexes_and_keeps_its_members()
    {
        using (var first = new TerminalSession(_folder))
        {
            await first.WriteLineAsync("/newcode 30");
            var code = (await first.WaitForAsync(StartLine(), Timeout)).Groups["code"].Value;
            foreach (var line in new[] { "/start " + code, "1", "1", "1" })
            {
                await first.WriteLineAsync(line);
            }

            Assert.Equal(0, await first.EndInputAndWaitAsync(Timeout));
        }

        // What the previous version of the sample left: the same database without VipEntry's payments table.
        var database = Path.Combine(_folder, "data", "vipentry.db");
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE vip_entry_payments";
            await drop.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        SqliteConnection.ClearAllPools();
        using (var second = new TerminalSession(_folder))
        {
            await second.WriteLineAsync("/status");
            await second.WriteLineAsync("/quit");
            Assert.Equal(0, await second.EndInputAndWaitAsync(Timeout));
            Assert.Contains("User 1000: completed", Flat(second.Output), StringComparison.Ordinal);
        }

        // Upgraded at start by VipEntry's own step: the table and its indexes, empty.
        await using var check = new SqliteConnection($"Data Source={database}");
        await check.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = check.CreateCommand();
        query.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE tbl_name = 'vip_entry_payments' AND type = 'index' AND name LIKE 'idx_%' ORDER BY name)";
        Assert.Equal("idx_vip_entry_payments_cancel,idx_vip_entry_payments_latest,idx_vip_entry_payments_unapplied", await query.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        query.CommandText = "SELECT COUNT(*) FROM vip_entry_payments";
        Assert.Equal(0L, await query.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    // The panels' text as one line: borders gone, wrapped lines joined.
    private static string Flat(string output) => Whitespace().Replace(output.Replace('│', ' '), " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"/start (?<code>[A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])")]
    private static partial Regex StartLine();

    [GeneratedRegex(@"https://t\.me/\+SIMULATED-[A-Za-z0-9_-]+")]
    private static partial Regex SimulatedLink();

    [GeneratedRegex(@"(?<first>https://t\.me/\+SIMULATED-[A-Za-z0-9_-]+)(.|\n)*(?<second>https://t\.me/\+SIMULATED-[A-Za-z0-9_-]+) \(type 1")]
    private static partial Regex SecondSimulatedLink();
}
