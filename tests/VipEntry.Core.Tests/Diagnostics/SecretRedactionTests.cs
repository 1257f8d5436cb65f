using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Links;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Diagnostics;

public sealed class SecretRedactionTests
{
    private static readonly string[] Instruments =
    [
        "vipentry.ritual.started", "vipentry.ritual.advanced", "vipentry.access.issued", "vipentry.access.redeemed",
        "vipentry.access.refused", "vipentry.subscription.expired", "vipentry.ritual.skipped",
    ];

    [Fact]
    public async Task R12_Tokens_never_appear_in_logs_metric_tags_ToString_or_the_store()
    {
        await using var host = new TestHost(o => o.TokenLinkFormat = "https://example.test/join?t={token}", tokenLinks: true);
        var collectors = Instruments.Select(i => new MetricCollector<long>(host.MeterFactory, VipEntryMetrics.MeterName, i)).ToList();
        var tokens = new List<string>();
        var strings = new List<string>();

        // A whole ritual with every kind of token event: issue, reissue, refused, forwarded, garbage, redeemed, lapse.
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery, TimeSpan.FromDays(3));
        var first = await host.Engine.DeliverAccessAsync(1);
        tokens.Add(Token(first));
        strings.Add(first.ToString());
        strings.Add(first.Access!.ToString());
        var step = await host.Engine.GetStepAsync(1);
        strings.Add(step.ToString());
        host.Time.Advance(TimeSpan.FromHours(1));
        var second = await host.Engine.ReissueAccessAsync(1);
        tokens.Add(Token(second));
        strings.Add(second.ToString());
        strings.Add((await host.Engine.RedeemTokenAsync(2, tokens[1])).ToString());
        strings.Add((await host.Engine.RedeemTokenAsync(1, tokens[0])).ToString());
        strings.Add((await host.Engine.RedeemTokenAsync(1, tokens[1][..63] + "!")).ToString());
        var redeemed = await host.Engine.RedeemTokenAsync(1, tokens[1]);
        Assert.Equal(VipEntryOutcome.Redeemed, redeemed.Outcome);
        strings.Add(redeemed.ToString());
        await host.IssueAsync(3, TimeSpan.FromHours(2));
        host.Time.Advance(TimeSpan.FromHours(3));
        strings.Add((await host.Engine.SweepAsync()).ToString());
        Assert.True(AccessTokenParse(tokens[0], out var parsed));
        strings.Add(parsed.ToString());
        strings.Add(new VipEntryLinkRequest(1, parsed, host.Now).ToString());
        strings.Add(VipEntryLinkIssueResult.CarriesToken("https://example.test/join?t=" + tokens[0]).ToString());
        strings.Add(new VipEntry.Core.Messages.VipEntryButton("Join", VipEntry.Core.Messages.VipEntryButtonKind.OpenLink, first.Access.Link).ToString());

        var logs = host.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        var logText = logs.SelectMany(r => new[] { r.Message, r.Exception?.ToString() ?? string.Empty }
            .Concat(r.StructuredState?.Select(kv => kv.Key + "=" + kv.Value) ?? [])).ToList();
        var tagText = collectors.SelectMany(c => c.GetMeasurementSnapshot())
            .SelectMany(m => m.Tags.Select(t => t.Key + "=" + t.Value)).ToList();
        Assert.NotEmpty(tagText);
        var storeText = new List<string>();
        foreach (var id in new[] { 1L, 2L, 3L })
        {
            storeText.Add((await host.RecordAsync(id))?.ToString() ?? string.Empty);
        }

        foreach (var token in tokens)
        {
            Assert.All(logText, t => Assert.DoesNotContain(token, t, StringComparison.Ordinal));
            Assert.All(tagText, t => Assert.DoesNotContain(token, t, StringComparison.Ordinal));
            Assert.All(strings, t => Assert.DoesNotContain(token, t, StringComparison.Ordinal));
            Assert.All(storeText, t => Assert.DoesNotContain(token, t, StringComparison.Ordinal));
        }

        foreach (var c in collectors)
        {
            c.Dispose();
        }
    }

    [Fact]
    public async Task R12_A_failing_issuer_s_exception_message_is_not_logged()
    {
        await using var host = new TestHost(build: b => b.UseLinkIssuer<LeakyIssuer>(Microsoft.Extensions.DependencyInjection.ServiceLifetime.Singleton));
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery);

        var result = await host.Engine.DeliverAccessAsync(1);

        Assert.Equal(VipEntryOutcome.LinkIssuerFailed, result.Outcome);
        var leaked = ((LeakyIssuer)host.Services.GetService(typeof(IVipEntryLinkIssuer))!).LastToken!;
        Assert.All(host.Logs.GetSnapshot(), r =>
        {
            Assert.DoesNotContain(leaked, r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(leaked, r.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
        });
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 1005);
    }

    [Fact]
    public async Task R12_A_link_the_issuer_asks_to_record_is_not_stored_when_it_carries_the_token()
    {
        await using var host = new TestHost(build: b => b.UseLinkIssuer<CarelessIssuer>(Microsoft.Extensions.DependencyInjection.ServiceLifetime.Singleton));
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery);

        var issued = await host.Engine.DeliverAccessAsync(1);

        Assert.Equal(VipEntryOutcome.AccessIssued, issued.Outcome);
        Assert.False(issued.Access!.CanBeShownAgain);
        Assert.Null((await host.RecordAsync(1))!.GrantLink);
        Assert.Equal(VipEntryOutcome.AccessAlreadyDelivered, (await host.Engine.DeliverAccessAsync(1)).Outcome);
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(1, issued.Access.Link[^64..])).Outcome);
    }

    [Fact]
    public void R12_ToString_of_access_button_link_results_and_requests_leaves_out_links_and_tokens()
    {
        var token = new VipEntry.Core.Tokens.DeterministicTokenGenerator(9).Generate();
        var link = "https://t.me/vipbot?start=" + token.Value;
        var access = new VipEntryAccess(link, TestHost.Start, CanBeShownAgain: false);
        var button = new VipEntry.Core.Messages.VipEntryButton("Join", VipEntry.Core.Messages.VipEntryButtonKind.OpenLink, link);
        var result = new VipEntryResult { Outcome = VipEntryOutcome.AccessIssued, SubscriberId = 1, Stage = VipEntryStage.AccessDelivery, Access = access };
        var step = new VipEntry.Core.Engine.VipEntryStep(result, new VipEntry.Core.Messages.VipEntryPrompt("Here is your link", button));

        var texts = new[]
        {
            access.ToString(), button.ToString(), result.ToString(), step.ToString(),
            VipEntryLinkIssueResult.CarriesToken(link).ToString(), VipEntryLinkIssueResult.Recorded(link).ToString(),
            new VipEntryLinkRequest(1, token, TestHost.Start).ToString(), token.ToString(),
        };

        Assert.All(texts, t =>
        {
            Assert.DoesNotContain(token.Value, t, StringComparison.Ordinal);
            Assert.DoesNotContain("t.me", t, StringComparison.Ordinal);
        });
        Assert.Contains("AccessIssued", result.ToString(), StringComparison.Ordinal);
        Assert.Contains("Join", button.ToString(), StringComparison.Ordinal);
    }

    private static bool AccessTokenParse(string value, out VipEntry.Core.Tokens.AccessToken token) => VipEntry.Core.Tokens.AccessToken.TryParse(value, out token);

    private static string Token(VipEntryResult result)
    {
        var link = result.Access!.Link;
        return link[(link.IndexOf("t=", StringComparison.Ordinal) + 2)..];
    }

    private sealed class CarelessIssuer : IVipEntryLinkIssuer
    {
        public ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(VipEntryLinkIssueResult.Recorded("https://example.test/join/" + request.Token.Value));
    }

    private sealed class LeakyIssuer : IVipEntryLinkIssuer
    {
        public string? LastToken { get; private set; }

        public ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default)
        {
            LastToken = request.Token.Value;
            throw new InvalidOperationException("could not create link for " + request.Token.Value);
        }
    }
}
