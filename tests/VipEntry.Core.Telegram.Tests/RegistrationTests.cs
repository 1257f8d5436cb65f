using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Engine;
using VipEntry.Core.Links;
using VipEntry.Core.Telegram.Channel;
using VipEntry.Core.Telegram.Links;
using VipEntry.Core.Telegram.Updates;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests;

public sealed class RegistrationTests
{
    private static ServiceCollection Services(Action<VipEntryTelegramOptions> configure, int times = 1)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ITelegramBotClient>(new TelegramBotClient(new TelegramBotClientOptions(FakeBotApiServer.Token, baseUrl: "http://127.0.0.1:9")));
        for (var i = 0; i < times; i++)
        {
            services.AddVipEntry().UseInMemoryStore().AddTelegram(configure);
        }

        return services;
    }

    [Fact]
    public async Task R11_AddTelegram_ResolvesFromARealServiceCollection()
    {
        await using var provider = Services(o => o.ChatId = -100123).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await using var scope = provider.CreateAsyncScope();

        Assert.IsType<VipEntryTelegram>(scope.ServiceProvider.GetRequiredService<IVipEntryTelegram>());
        Assert.IsType<TelegramLinkIssuer>(scope.ServiceProvider.GetRequiredService<IVipEntryLinkIssuer>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>());
        Assert.IsType<ChannelWorker>(Assert.Single(provider.GetServices<IHostedService>()));
        Assert.Equal(-100123, provider.GetRequiredService<IOptions<VipEntryTelegramOptions>>().Value.ChatId);
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
