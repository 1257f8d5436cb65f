using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Options;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests.Stars;

/// <summary>Issue 17: selling with Stars is opt-in, configured from <c>VipEntry:Telegram</c> like every other Telegram option, validated at start, and its payments worker runs as a hosted service.</summary>
public sealed class StarsRegistrationTests
{
    [Fact]
    public async Task StarsPrice_BindsFromTheTelegramSection_AndSellWithStars_UsesIt()
    {
        using var host = Host("""{ "VipEntry": { "Telegram": { "ChatId": -100123, "RunChannelWorker": false, "StarsPrice": 250, "StarsPayloadKey": "a-secret-of-at-least-16-chars" } } }""");
        await host.StartAsync();

        var options = host.Services.GetRequiredService<IOptions<VipEntryTelegramOptions>>().Value;
        Assert.Equal((250, "a-secret-of-at-least-16-chars"), (options.StarsPrice, options.StarsPayloadKey));
        using var scope = host.Services.CreateScope();
        Assert.NotNull(scope.ServiceProvider.GetService<IVipEntryStarsSeller>());
        await host.StopAsync();
    }

    [Theory]
    [InlineData("""{ "VipEntry": { "Telegram": { "ChatId": -100123 } } }""", "StarsPrice is required")]
    [InlineData("""{ "VipEntry": { "Telegram": { "ChatId": -100123, "StarsPrice": 0 } } }""", "StarsPrice")]
    [InlineData("""{ "VipEntry": { "Telegram": { "ChatId": -100123, "StarsPrice": 10001 } } }""", "StarsPrice")]
    [InlineData("""{ "VipEntry": { "Telegram": { "ChatId": -100123, "StarsPrice": 250, "StarsPayloadKey": "short" } } }""", "StarsPayloadKey")]
    public async Task InvalidStarsSettings_FailAtStart(string json, string expected)
    {
        using var host = Host(json);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutSellWithStars_NothingIsRegistered_AndNoPaymentStoreIsNeeded()
    {
        var builder = Builder("""{ "VipEntry": { "Telegram": { "ChatId": -100123, "StarsPrice": 250 } } }""");
        builder.Services.AddVipEntry().UseInMemoryStore().AddTelegram(builder.Configuration.GetSection(VipEntryTelegramOptions.SectionName));
        builder.Services.RemoveAll<IVipEntryPaymentStore>();
        using var host = builder.Build();
        await host.StartAsync();

        using var scope = host.Services.CreateScope();
        Assert.Null(scope.ServiceProvider.GetService<IVipEntryStarsSeller>());
        Assert.NotNull(scope.ServiceProvider.GetService<IVipEntryTelegram>());
        await host.StopAsync();
    }

    [Fact]
    public async Task ThePaymentsWorker_RunsAsAHostedService_AndAppliesAnOrphanedPayment()
    {
        await using var api = new FakeBotApiServer();
        var time = new RecordingTimeProvider(TelegramTestHost.Start.AddTicks(1234567));
        var payments = new InMemoryVipEntryPaymentStore();
        var now = VipEntry.Core.Engine.VipEntryStateMachine.ToStorePrecision(time.GetUtcNow());
        var orphan = new VipEntryPayment("charge-orphan", 17201, "XTR", 250, now, now.AddDays(30), true, true);
        Assert.Equal(VipEntryPaymentClaim.Claimed, await payments.TryClaimAsync(orphan, "dead", now, now.AddMinutes(1)));

        var builder = Builder("""{ "VipEntry": { "Telegram": { "ChatId": -100123, "SweepInterval": "00:01:00" } } }""", api.BaseUrl);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(payments);
        builder.Services.AddVipEntry().UseInMemoryStore().AddTelegram(builder.Configuration.GetSection(VipEntryTelegramOptions.SectionName)).SellWithStars(250);
        using var host = builder.Build();
        await host.StartAsync();

        // The first pass runs within the orphan's lease; one interval later the lease has run out and the next pass applies it.
        await time.WaitForTimerAsync(TimeSpan.FromMinutes(1));
        time.Advance(TimeSpan.FromMinutes(1).Add(TimeSpan.FromTicks(7654321)));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await payments.FindAsync("charge-orphan"))?.AppliedAt is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.NotNull((await payments.FindAsync("charge-orphan"))?.AppliedAt);
        using var scope = host.Services.CreateScope();
        Assert.Equal(VipEntryStage.ActivationConfirmation, (await scope.ServiceProvider.GetRequiredService<VipEntry.Core.Engine.IVipEntryStateMachine>().GetStatusAsync(17201)).Stage);
        await host.StopAsync();
    }

    private static IHost Host(string json)
    {
        var builder = Builder(json);
        builder.Services.AddVipEntry().UseInMemoryStore().AddTelegram(builder.Configuration.GetSection(VipEntryTelegramOptions.SectionName)).SellWithStars();
        return builder.Build();
    }

    private static HostApplicationBuilder Builder(string json, string baseUrl = "http://127.0.0.1:9")
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.Services.AddLogging();
        builder.Services.AddSingleton<ITelegramBotClient>(new TelegramBotClient(new TelegramBotClientOptions(FakeBotApiServer.Token, baseUrl: baseUrl) { RetryThreshold = 0 }));
        return builder;
    }
}
