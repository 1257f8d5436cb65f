using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using VipEntry.Core.Channel;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Options;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests.Configuration;

/// <summary>
/// Issue 15, point 1: a host sets every VipEntry and Telegram option from configuration the Microsoft.Extensions way
/// (<c>AddVipEntry(configuration.GetSection("VipEntry"))</c>, <c>AddTelegram(configuration.GetSection("VipEntry:Telegram"))</c>),
/// and invalid values fail at start.
/// </summary>
public sealed class Issue15ConfigurationTests
{
    private const string AppSettings = """
        {
          "VipEntry": {
            "DefaultCulture": "es",
            "LinkLifetime": "02:00:00",
            "ReissueCooldown": "00:02:00",
            "SweepBatchSize": 7,
            "LapseLease": "00:03:00",
            "NudgeIdleAfter": "1.00:00:00",
            "NudgeBeforeExpiry": "01:00:00",
            "TokenLinkFormat": "https://example.com/vip/{token}",
            "ChannelKey": "vip-es",
            "ChannelWorker": { "Enabled": false, "Interval": "00:00:45" },
            "Telegram": {
              "ChatId": -1009876543210,
              "RunChannelWorker": false,
              "SweepInterval": "00:00:30",
              "RateLimitRetries": 5,
              "MaxRetryAfter": "00:00:20",
              "InviteLinkName": "VIP"
            }
          }
        }
        """;

    private static HostApplicationBuilder Builder(string json)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.Services.AddLogging();
        builder.Services.AddSingleton<ITelegramBotClient>(new TelegramBotClient(new TelegramBotClientOptions(FakeBotApiServer.Token, baseUrl: "http://127.0.0.1:9")));
        return builder;
    }

    private static IHost TelegramHost(string json)
    {
        var builder = Builder(json);
        builder.Services.AddVipEntry(builder.Configuration.GetSection(VipEntryOptions.SectionName))
            .UseInMemoryStore()
            .AddTelegram(builder.Configuration.GetSection(VipEntryTelegramOptions.SectionName));
        return builder.Build();
    }

    [Fact]
    public void Issue15_Every_option_comes_from_an_appsettings_section()
    {
        using var host = TelegramHost(AppSettings);

        var core = host.Services.GetRequiredService<IOptions<VipEntryOptions>>().Value;
        Assert.Equal("es", core.DefaultCulture);
        Assert.Equal(TimeSpan.FromHours(2), core.LinkLifetime);
        Assert.Equal(TimeSpan.FromMinutes(2), core.ReissueCooldown);
        Assert.Equal(7, core.SweepBatchSize);
        Assert.Equal(TimeSpan.FromMinutes(3), core.LapseLease);
        Assert.Equal(TimeSpan.FromDays(1), core.NudgeIdleAfter);
        Assert.Equal(TimeSpan.FromHours(1), core.NudgeBeforeExpiry);
        Assert.Equal("https://example.com/vip/{token}", core.TokenLinkFormat);
        Assert.Equal("vip-es", core.ChannelKey);

        var telegram = host.Services.GetRequiredService<IOptions<VipEntryTelegramOptions>>().Value;
        Assert.Equal(-1009876543210, telegram.ChatId);
        Assert.False(telegram.RunChannelWorker);
        Assert.Equal(TimeSpan.FromSeconds(30), telegram.SweepInterval);
        Assert.Equal(5, telegram.RateLimitRetries);
        Assert.Equal(TimeSpan.FromSeconds(20), telegram.MaxRetryAfter);
        Assert.Equal("VIP", telegram.InviteLinkName);

        // With Telegram, the one channel worker follows the Telegram section (one place to configure the Telegram side).
        var worker = host.Services.GetRequiredService<IOptions<VipEntryChannelWorkerOptions>>().Value;
        Assert.False(worker.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(30), worker.Interval);
    }

    [Fact]
    public void Issue15_Without_Telegram_the_channel_worker_reads_its_ChannelWorker_section()
    {
        var builder = Builder(AppSettings);
        builder.Services.AddVipEntry(builder.Configuration.GetSection(VipEntryOptions.SectionName)).UseInMemoryStore();
        using var host = builder.Build();

        var worker = host.Services.GetRequiredService<IOptions<VipEntryChannelWorkerOptions>>().Value;
        Assert.False(worker.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(45), worker.Interval);
        Assert.Equal("es", host.Services.GetRequiredService<IOptions<VipEntryOptions>>().Value.DefaultCulture);
    }

    [Theory]
    [InlineData("\"LinkLifetime\": \"02:00:00\"", "\"LinkLifetime\": \"00:00:01\"", "LinkLifetime")]   // below its range (1 minute)
    [InlineData("\"SweepBatchSize\": 7", "\"SweepBatchSize\": 0", "SweepBatchSize")]
    [InlineData("\"DefaultCulture\": \"es\"", "\"DefaultCulture\": \"\"", "DefaultCulture")]
    [InlineData("\"SweepInterval\": \"00:00:30\"", "\"SweepInterval\": \"2.00:00:00\"", "SweepInterval")]
    [InlineData("\"ChatId\": -1009876543210", "\"ChatId\": 0", "ChatId")]
    public async Task Issue15_An_invalid_configured_value_fails_at_start(string setting, string invalid, string named)
    {
        Assert.Contains(setting, AppSettings, StringComparison.Ordinal);
        using var host = TelegramHost(AppSettings.Replace(setting, invalid, StringComparison.Ordinal));

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue15_A_value_that_does_not_convert_fails_at_start()
    {
        using var host = TelegramHost(AppSettings.Replace("\"02:00:00\"", "\"two hours\"", StringComparison.Ordinal));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("VipEntry:LinkLifetime", failure.Message, StringComparison.Ordinal);
    }
}
