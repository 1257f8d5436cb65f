using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using VipEntry.Core.Channel;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Engine;
using VipEntry.Core.Links;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Telegram.Channel;
using VipEntry.Core.Telegram.Links;
using VipEntry.Core.Telegram.Updates;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests;

public sealed class RegistrationTests
{
    private static ServiceCollection Services(Action<VipEntryTelegramOptions> configure, int times = 1, string baseUrl = "http://127.0.0.1:9")
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ITelegramBotClient>(new TelegramBotClient(new TelegramBotClientOptions(FakeBotApiServer.Token, baseUrl: baseUrl)));
        for (var i = 0; i < times; i++)
        {
            services.AddVipEntry().UseInMemoryStore().AddTelegram(configure);
        }

        return services;
    }

    [Fact]
    public async Task R11_AddTelegram_ResolvesFromARealServiceCollection()
    {
        await using var api = new FakeBotApiServer();
        await using var provider = Services(o => o.ChatId = -100123, baseUrl: api.BaseUrl).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await using var scope = provider.CreateAsyncScope();
        await using var other = provider.CreateAsyncScope();

        // The package's entry point, scoped like the engine it serves: one per scope, never from the root.
        var telegram = scope.ServiceProvider.GetRequiredService<IVipEntryTelegram>();
        Assert.IsType<VipEntryTelegram>(telegram);
        Assert.Same(telegram, scope.ServiceProvider.GetRequiredService<IVipEntryTelegram>());
        Assert.NotSame(telegram, other.ServiceProvider.GetRequiredService<IVipEntryTelegram>());
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IVipEntryTelegram>());
        Assert.IsType<TelegramLinkIssuer>(scope.ServiceProvider.GetRequiredService<IVipEntryLinkIssuer>());
        var options = provider.GetRequiredService<IOptions<VipEntryTelegramOptions>>().Value;
        Assert.Equal(-100123, options.ChatId);
        Assert.True(options.RunChannelWorker);

        // Issue 14: the package is the port of VipEntry's one channel worker (Core's), whose hosted service it turns on
        // with its own settings (RunChannelWorker, SweepInterval).
        Assert.IsType<TelegramChannel>(scope.ServiceProvider.GetRequiredService<IVipEntryChannel>());
        Assert.Equal("VipEntry.Core.Channel.VipEntryChannelHostedService", Assert.Single(provider.GetServices<IHostedService>()).GetType().FullName);
        var worker = provider.GetRequiredService<IOptions<VipEntryChannelWorkerOptions>>().Value;
        Assert.True(worker.Enabled);
        Assert.Equal(options.SweepInterval, worker.Interval);

        // The engine resolved is the core's, on the registered store, and issues stage 3's link through the Telegram issuer
        // in the configured chat: a join-request link made by createChatInviteLink.
        var engine = scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        Assert.IsType<VipEntryStateMachine>(engine);
        Assert.Equal(VipEntryOutcome.Started, (await engine.ActivateAsync(1, DateTimeOffset.UtcNow.AddDays(30))).Outcome);
        Assert.Equal(VipEntryStage.ActivationConfirmation, (await provider.GetRequiredService<InMemoryVipEntryStore>().FindAsync(1))!.Stage);
        await engine.AdvanceAsync(1, VipEntryStage.ActivationConfirmation);
        await engine.AdvanceAsync(1, VipEntryStage.ExpectationAlignment);
        var delivered = await engine.DeliverAccessAsync(1);
        Assert.Equal(VipEntryOutcome.AccessIssued, delivered.Outcome);
        var invite = Assert.Single(api.Calls("createChatInviteLink"));
        Assert.Equal(-100123L, invite.Number("chat_id"));
        Assert.True(invite.Bool("creates_join_request"));
        Assert.Equal("https://t.me/+FAKEINVITE1", delivered.Access!.Link);
        Assert.Equal(delivered.Access.Link, (await provider.GetRequiredService<InMemoryVipEntryStore>().FindAsync(1))!.GrantLink);
    }

    [Fact]
    public void R11_AddTelegramTwice_RegistersEverythingOnce()
    {
        var services = Services(o => o.ChatId = -100123, times: 2);

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(IVipEntryTelegram));
        Assert.Single(services, d => d.ServiceType == typeof(IVipEntryLinkIssuer));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<VipEntryTelegramOptions>) && d.ImplementationType?.Name == "VipEntryTelegramOptionsCrossValidator");
    }

    [Fact]
    public void R11_AddTelegram_WithoutABuilder_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => VipEntryTelegramBuilderExtensions.AddTelegram(null!));
    }

    public static TheoryData<string, Action<VipEntryTelegramOptions>> InvalidOptions => new()
    {
        { "ChatId", o => o.ChatId = 0 },
        { "SweepInterval", o => o.SweepInterval = TimeSpan.Zero },
        { "SweepInterval", o => o.SweepInterval = TimeSpan.FromSeconds(-5) },
        { "RateLimitRetries", o => o.RateLimitRetries = -1 },
        { "RateLimitRetries", o => o.RateLimitRetries = 11 },
        { "MaxRetryAfter", o => o.MaxRetryAfter = TimeSpan.FromHours(2) },
        { "InviteLinkName", o => o.InviteLinkName = string.Empty },
        { "InviteLinkName", o => o.InviteLinkName = "ThirteenChars" },
        { "InviteLinkName", o => o.InviteLinkName = " VipEntry" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task R11_InvalidOptions_FailAtStart(string member, Action<VipEntryTelegramOptions> breakIt)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<ITelegramBotClient>(new TelegramBotClient(new TelegramBotClientOptions(FakeBotApiServer.Token, baseUrl: "http://127.0.0.1:9")));
        builder.Services.AddVipEntry().UseInMemoryStore().AddTelegram(o =>
        {
            o.ChatId = -100123;
            o.RunChannelWorker = false;
            breakIt(o);
        });
        using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(member, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R11_ValidOptions_Start()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<ITelegramBotClient>(new TelegramBotClient(new TelegramBotClientOptions(FakeBotApiServer.Token, baseUrl: "http://127.0.0.1:9")));
        builder.Services.AddVipEntry().UseInMemoryStore().AddTelegram(o =>
        {
            o.ChatId = -100123;
            o.RunChannelWorker = false;
        });
        using var app = builder.Build();

        await app.StartAsync();
        await app.StopAsync();
    }
}
