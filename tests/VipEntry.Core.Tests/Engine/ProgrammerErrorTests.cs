using System.Globalization;
using Microsoft.Extensions.Options;
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Engine;
using VipEntry.Core.Links;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Tests.Support;
using VipEntry.Core.Tokens;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace VipEntry.Core.Tests.Engine;

public sealed class ProgrammerErrorTests
{
    [Fact]
    public async Task R11_The_engine_refuses_null_dependencies()
    {
        var store = new InMemoryVipEntryStore();
        var channels = new InMemoryVipEntryChannelStore();
        var tokens = new RandomTokenGenerator();
        var monitor = new StaticMonitor(new VipEntryOptions());
        var issuer = new TokenLinkIssuer(monitor);
        var messages = new DefaultVipEntryMessageProvider(MsOptions.Create(new VipEntryMessageOptions()), MsOptions.Create(new VipEntryOptions()));
        using var metrics = new VipEntryMetrics();

        Assert.Throws<ArgumentNullException>(() => new VipEntryStateMachine(null!, channels, tokens, issuer, messages, [], metrics, TimeProvider.System, monitor));
        Assert.Throws<ArgumentNullException>(() => new VipEntryStateMachine(store, channels, null!, issuer, messages, [], metrics, TimeProvider.System, monitor));
        Assert.Throws<ArgumentNullException>(() => new VipEntryStateMachine(store, channels, tokens, null!, messages, [], metrics, TimeProvider.System, monitor));
        Assert.Throws<ArgumentNullException>(() => new VipEntryStateMachine(store, channels, tokens, issuer, null!, [], metrics, TimeProvider.System, monitor));
        Assert.Throws<ArgumentNullException>(() => new VipEntryStateMachine(store, channels, tokens, issuer, messages, null!, metrics, TimeProvider.System, monitor));
        Assert.Throws<ArgumentNullException>(() => new VipEntryStateMachine(store, channels, tokens, issuer, messages, [], null!, TimeProvider.System, monitor));
        Assert.Throws<ArgumentNullException>(() => new VipEntryStateMachine(store, channels, tokens, issuer, messages, [], metrics, null!, monitor));
        Assert.Throws<ArgumentNullException>(() => new VipEntryStateMachine(store, channels, tokens, issuer, messages, [], metrics, TimeProvider.System, null!));
        Assert.Throws<ArgumentNullException>(() => new VipEntryStateMachine(store, null!, tokens, issuer, messages, [], metrics, TimeProvider.System, monitor));

        // Built from these dependencies, the engine works: it enrolls a member in the store it was given.
        var engine = new VipEntryStateMachine(store, channels, tokens, issuer, messages, [], metrics, TimeProvider.System, monitor);
        Assert.Equal(VipEntry.Core.Results.VipEntryOutcome.Started, (await engine.ActivateAsync(1, DateTimeOffset.UtcNow.AddDays(1))).Outcome);
        Assert.NotNull(await store.FindAsync(1));
    }

    [Fact]
    public void R11_Messages_links_and_issuers_refuse_null_or_blank_arguments()
    {
        var provider = new DefaultVipEntryMessageProvider(MsOptions.Create(new VipEntryMessageOptions()), MsOptions.Create(new VipEntryOptions()));

        Assert.Throws<ArgumentNullException>(() => provider.GetStageMessage(VipEntryStage.ActivationConfirmation, null!));
        Assert.Throws<ArgumentNullException>(() => provider.GetNotice(VipEntryNotice.Welcome, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => provider.GetStageMessage(VipEntryStage.Completed, CultureInfo.InvariantCulture));
        Assert.Throws<ArgumentNullException>(() => new DefaultVipEntryMessageProvider(null!, MsOptions.Create(new VipEntryOptions())));
        Assert.ThrowsAny<ArgumentException>(() => VipEntryLinkIssueResult.Recorded(null!));
        Assert.ThrowsAny<ArgumentException>(() => VipEntryLinkIssueResult.Recorded(" "));
        Assert.ThrowsAny<ArgumentException>(() => VipEntryLinkIssueResult.CarriesToken(string.Empty));
        Assert.ThrowsAny<ArgumentException>(() => VipEntryLinkIssueResult.Failed(null!));
        Assert.Throws<ArgumentNullException>(() => new TokenLinkIssuer(null!));
    }

    [Fact]
    public async Task R11_The_token_link_issuer_refuses_a_null_request()
    {
        var issuer = new TokenLinkIssuer(new StaticMonitor(new VipEntryOptions()));

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await issuer.IssueAsync(null!));
    }

    [Fact]
    public async Task R5_The_token_link_issuer_formats_the_token_into_the_configured_link()
    {
        var issuer = new TokenLinkIssuer(new StaticMonitor(new VipEntryOptions { TokenLinkFormat = "https://t.me/vipbot?start={token}" }));
        var token = new DeterministicTokenGenerator(1).Generate();

        var result = await issuer.IssueAsync(new VipEntryLinkRequest(1, token, TestHost.Start));

        Assert.Equal("https://t.me/vipbot?start=" + token.Value, result.Link);
        Assert.False(result.Record);
    }

    private sealed class StaticMonitor(VipEntryOptions value) : IOptionsMonitor<VipEntryOptions>
    {
        public VipEntryOptions CurrentValue => value;

        public VipEntryOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<VipEntryOptions, string?> listener) => null;
    }
}
