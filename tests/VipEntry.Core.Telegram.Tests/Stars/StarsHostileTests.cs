using CsCheck;
using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;
using VipEntry.Tests.Hostile;
using static VipEntry.Core.Telegram.Tests.Stars.StarsFlow;

namespace VipEntry.Core.Telegram.Tests.Stars;

/// <summary>
/// Issue 17 with hostile input (R11): generated payloads (anything a client can put in an invoice payload, and near misses
/// of a real one), currencies, amounts and charge ids, in pre-checkout queries and payments. Nothing throws, every
/// pre-checkout of a VipEntry-looking payload is answered and refused, and no payment activates anyone.
/// </summary>
public sealed class StarsHostileTests
{
    private const long Member = 17301;
    private const string StarsPayloadPrefix = "vipes:";

    [Fact]
    public async Task GeneratedPayloads_CrashNothing_AreRefusedAtCheckout_AndActivateNobody()
    {
        await using var host = new TelegramTestHost(starsPrice: Price);
        var real = await OfferAsync(host, Member);
        var nearMiss = Gen.Int[0, real.Length - 1].Select(Gen.Char.AlphaNumeric, (i, c) => real[..i] + c + real[(i + 1)..]).Where(p => p != real);
        var payload = Gen.Frequency((3, HostileInput.Any), (2, nearMiss), (1, HostileInput.Any.Select(s => StarsPayloadPrefix + s)));
        var currency = Gen.OneOf(Gen.Const("XTR"), Gen.Const("USD"), Gen.Const("xtr"), Gen.Const(string.Empty));
        var amount = Gen.OneOf(Gen.Const((long)Price), Gen.Long);
        var user = Gen.OneOf(Gen.Const(Member), Gen.Long[Member + 1, long.MaxValue]);
        var checkouts = 0;
        var before = host.Api.LastSequence;

        await Gen.Select(payload, currency, amount, user).SampleAsync(
            async t =>
            {
                var (p, c, a, u) = t;
                var handled = await host.HandleAsync(TelegramUpdates.PreCheckout(u, p, a, "checkout-gen", c));
                Assert.Equal(p.StartsWith(StarsPayloadPrefix, StringComparison.Ordinal), handled);
                checkouts += handled ? 1 : 0;
                var paid = await host.HandleAsync(TelegramUpdates.SuccessfulPayment(u, p, "charge-" + p.GetHashCode(StringComparison.Ordinal), a, PeriodEnd(host), isFirst: true, c));
                Assert.Equal(handled, paid);
            },
            iter: HostileInput.Scaled(200),
            threads: 1,
            print: t => HostileInput.Describe(t.Item1));

        var answers = host.Api.Calls("answerPreCheckoutQuery").Where(c => c.Sequence > before).ToList();
        Assert.Equal(checkouts, answers.Count);
        Assert.All(answers, a => Assert.False(a.Bool("ok")));
        Assert.Equal(VipEntryStage.NotEnrolled, (await host.StatusAsync(Member)).Stage);
        Assert.Equal(0, (await host.EngineAsync(e => e.GetFunnelAsync())).Total);

        // The real payload still works for its member.
        Assert.True(await PayAsync(host, Member, real, "charge-real", PeriodEnd(host), isFirst: true));
        Assert.Equal(VipEntryStage.ActivationConfirmation, (await host.StatusAsync(Member)).Stage);
    }
}
