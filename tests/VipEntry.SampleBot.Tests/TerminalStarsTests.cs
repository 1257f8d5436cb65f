using System.Text.RegularExpressions;

namespace VipEntry.SampleBot.Tests;

/// <summary>Issue 17 in terminal mode: <c>/buy</c> shows the Stars offer, <c>pay</c> is a simulated payment that starts the ritual, <c>/refund</c> ends it.</summary>
[Collection("SampleBot")]
public sealed partial class TerminalStarsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vipentry-terminal-stars-" + Guid.NewGuid().ToString("N"));

    public TerminalStarsTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task Buy_Pay_WalksTheRitual_ASecondBuyShowsTheStatus_AndARefundEndsIt()
    {
        using var session = new TerminalSession(_folder);
        foreach (var line in new[] { "/buy", "pay", "1", "1", "1", "/buy", "pay", "/refund 1000", "/status", "/refund 1000" })
        {
            await session.WriteLineAsync(line);
        }

        Assert.Equal(0, await session.EndInputAndWaitAsync(Timeout));
        var output = Flat(session.Output);
        Assert.Contains("Subscribe for 250 Stars a month", output, StringComparison.Ordinal);
        Assert.Contains("Payment received: 250 Stars (simulated; charge simulated-", output, StringComparison.Ordinal);
        Assert.Contains("1) Continue", output, StringComparison.Ordinal);
        Assert.Contains("Welcome to the VIP channel", output, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(output, "renews automatically; there is nothing to buy"));   // the second /buy and pay
        Assert.Single(Regex.Matches(output, "Payment received"));
        Assert.Contains("refunded (simulated); the subscription has ended", output, StringComparison.Ordinal);
        Assert.Contains("User 1000: completed; subscription ended at", output, StringComparison.Ordinal);
        Assert.Contains("[channel] user 1000 removed from the VIP channel", output, StringComparison.Ordinal);
        Assert.Contains("the last payment was refunded already", output, StringComparison.Ordinal);
        Assert.True(output.IndexOf("Payment received", StringComparison.Ordinal) < output.IndexOf("1) Continue", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithoutASubscription_ShowsTheOffer()
    {
        using var session = new TerminalSession(_folder);
        await session.WriteLineAsync("/start");

        Assert.Equal(0, await session.EndInputAndWaitAsync(Timeout));
        var output = Flat(session.Output);
        Assert.Contains("Subscribe for 250 Stars a month", output, StringComparison.Ordinal);
        Assert.Contains("Or ask an admin for an activation link", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static string Flat(string output) => Whitespace().Replace(output.Replace('│', ' '), " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
