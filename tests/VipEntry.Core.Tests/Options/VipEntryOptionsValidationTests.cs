using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Engine;
using VipEntry.Core.Options;

namespace VipEntry.Core.Tests.Options;

public sealed class VipEntryOptionsValidationTests
{
    public static TheoryData<string, Action<VipEntryOptions>> InvalidOptions() => new()
    {
        { "LinkLifetime 0", o => o.LinkLifetime = TimeSpan.Zero },
        { "LinkLifetime negative", o => o.LinkLifetime = TimeSpan.FromHours(-1) },
        { "LinkLifetime 31 days", o => o.LinkLifetime = TimeSpan.FromDays(31) },
        { "cooldown = lifetime", o => { o.LinkLifetime = TimeSpan.FromHours(1); o.ReissueCooldown = TimeSpan.FromHours(1); } },
        { "cooldown > lifetime", o => { o.LinkLifetime = TimeSpan.FromHours(1); o.ReissueCooldown = TimeSpan.FromHours(2); } },
        { "cooldown negative", o => o.ReissueCooldown = TimeSpan.FromMinutes(-1) },
        { "TokenLinkFormat without {token}", o => o.TokenLinkFormat = "https://t.me/mybot?start=" },
        { "TokenLinkFormat empty", o => o.TokenLinkFormat = string.Empty },
        { "TokenLinkFormat null", o => o.TokenLinkFormat = null! },
        { "bad culture", o => o.DefaultCulture = "xx-NOPE-42" },
        { "empty culture", o => o.DefaultCulture = string.Empty },
        { "null culture", o => o.DefaultCulture = null! },
        { "batch 0", o => o.SweepBatchSize = 0 },
        { "batch too large", o => o.SweepBatchSize = 10_001 },
        { "lapse lease 0", o => o.LapseLease = TimeSpan.Zero },
        { "lapse lease 2 days", o => o.LapseLease = TimeSpan.FromDays(2) },
        { "idle nudge 0", o => o.NudgeIdleAfter = TimeSpan.Zero },
        { "idle nudge negative", o => o.NudgeIdleAfter = TimeSpan.FromHours(-1) },
        { "expiry nudge = lifetime", o => { o.LinkLifetime = TimeSpan.FromHours(3); o.NudgeBeforeExpiry = TimeSpan.FromHours(3); } },
        { "expiry nudge 0", o => o.NudgeBeforeExpiry = TimeSpan.Zero },
    };

    private static ServiceProvider Build(Action<VipEntryOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddVipEntry(configure).UseInMemoryStore();
        return services.BuildServiceProvider();
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task R11_Invalid_options_throw_OptionsValidationException_at_start(string because, Action<VipEntryOptions> configure)
    {
        await using var provider = Build(configure);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.NotEmpty(ex.Failures);
        Assert.False(string.IsNullOrEmpty(because));
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task R11_Invalid_options_throw_OptionsValidationException_when_the_engine_is_resolved(string because, Action<VipEntryOptions> configure)
    {
        await using var provider = Build(configure);
        await using var scope = provider.CreateAsyncScope();

        Assert.Throws<OptionsValidationException>(() => scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>());
        Assert.False(string.IsNullOrEmpty(because));
    }

    [Fact]
    public async Task R11_Default_and_sensible_options_are_valid()
    {
        await using var provider = Build(o =>
        {
            o.LinkLifetime = TimeSpan.FromHours(2);
            o.ReissueCooldown = TimeSpan.Zero;
            o.DefaultCulture = "es-MX";
            o.TokenLinkFormat = "https://t.me/mybot?start={token}";
        });

        provider.GetRequiredService<IStartupValidator>().Validate();

        var options = provider.GetRequiredService<IOptions<VipEntryOptions>>().Value;
        Assert.Equal(TimeSpan.FromHours(2), options.LinkLifetime);
        Assert.Equal(TimeSpan.FromHours(24), new VipEntryOptions().LinkLifetime);
    }
}
