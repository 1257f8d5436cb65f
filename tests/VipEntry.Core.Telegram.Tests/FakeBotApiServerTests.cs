using System.Net;
using System.Text;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests;

/// <summary>
/// The fake Bot API never fails silently: its own exceptions (not the bot hanging up) fail the next look at what it
/// recorded, and <see cref="FakeBotApiServer.WaitIdleAsync"/> throws, naming the calls, instead of giving up quietly.
/// </summary>
public sealed class FakeBotApiServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_fake_s_own_failure_fails_Calls_and_WaitIdle_instead_of_looking_like_a_call_never_made()
    {
        await using var api = new FakeBotApiServer();
        using var client = new HttpClient();

        // A body the fake cannot read: the fake's own failure, which the bot sees only as a broken answer.
        using (var content = new StringContent("{not json", Encoding.UTF8, "application/json"))
        {
            await PostAsync(client, api, "sendMessage", content);
        }

        Assert.Contains("sendMessage", Assert.Single(api.Faults), StringComparison.Ordinal);
        var calls = Assert.Throws<InvalidOperationException>(() => api.Calls("sendMessage"));
        Assert.Contains("failed internally", calls.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => api.WaitIdleAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => api.WaitForCallAsync("sendMessage", timeout: TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task An_unsurfaced_fault_fails_DisposeAsync()
    {
        var api = new FakeBotApiServer();
        using var client = new HttpClient();
        using (var content = new StringContent("[", Encoding.UTF8, "application/json"))
        {
            await PostAsync(client, api, "banChatMember", content);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await api.DisposeAsync());
        Assert.Contains("banChatMember", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitIdle_throws_naming_a_call_still_held_and_returns_once_it_is_answered()
    {
        await using var api = new FakeBotApiServer();
        using var client = new HttpClient();
        var held = api.Hold("sendMessage");
        using var content = new StringContent("""{"chat_id":5,"text":"hi"}""", Encoding.UTF8, "application/json");
        var send = client.PostAsync(new Uri($"{api.BaseUrl}/bot{FakeBotApiServer.Token}/sendMessage"), content, Ct);
        await api.WaitForCallAsync("sendMessage", timeout: TimeSpan.FromSeconds(30));

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => api.WaitIdleAsync(TimeSpan.FromMilliseconds(200)));
        Assert.Contains("sendMessage (held)", timeout.Message, StringComparison.Ordinal);

        held.Release();
        await api.WaitIdleAsync();
        using var answer = await send;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Empty(api.Faults);
    }

    // What the client gets for a request the fake failed on is not the point (HttpListener's Abort may even send an empty
    // 200); the fault is recorded before the connection is let go.
    private static async Task PostAsync(HttpClient client, FakeBotApiServer api, string method, HttpContent content)
    {
        try
        {
            using var response = await client.PostAsync(new Uri($"{api.BaseUrl}/bot{FakeBotApiServer.Token}/{method}"), content, Ct);
        }
        catch (HttpRequestException)
        {
            // The connection went away.
        }
    }
}
