using VipEntry.Telegram.Testing;

namespace VipEntry.SampleBot.Tests;

/// <summary>
/// Issue 17: the sample sells VIP access with Telegram Stars when <c>Telegram__StarsPrice</c> is set: <c>/buy</c> and
/// <c>/start</c> (for someone with no active subscription) send the offer, its pre-checkout is answered, the payment starts
/// the ritual, an admin's <c>/refund &lt;id&gt;</c> refunds and removes; activation codes stay. Real host, real Telegram.Bot
/// client, fake Bot API on loopback.
/// </summary>
[Collection("SampleBot")]
public sealed class StarsModeTests : IAsyncLifetime
{
    private const long Member = 4217;
    private const long Vip = TelegramBotHarness.VipChatId;

    private readonly TelegramBotHarness _bot = new(null, "--Telegram:StarsPrice=250");

    public async ValueTask InitializeAsync() => await _bot.StartAsync();

    public async ValueTask DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Buy_Pay_Ritual_Joined_ThenAnAdminsRefund_RemovesTheMember()
    {
        _bot.Api.TrackMembership = true;
        var before = await _bot.SayAsync(Member, "/buy");
        var invoice = await _bot.Api.WaitForCallAsync("createInvoiceLink", afterSequence: before);
        Assert.Equal(("XTR", 2592000L), (invoice.Text("currency"), invoice.Number("subscription_period")));
        var offer = await _bot.ReplyToAsync(Member, before, c => c.Urls.Count == 1);
        Assert.StartsWith("https://t.me/$FAKEINVOICE", offer.Urls[0], StringComparison.Ordinal);
        var payload = invoice.Text("payload")!;

        await _bot.SendAsync(TelegramUpdates.PreCheckout(Member, payload, 250, "checkout-1"));
        var answer = await _bot.Api.WaitForCallAsync("answerPreCheckoutQuery", c => c.Text("pre_checkout_query_id") == "checkout-1");
        Assert.True(answer.Bool("ok"));

        before = _bot.Api.LastSequence;
        var end = DateTimeOffset.UtcNow.AddDays(30);
        await _bot.SendAsync(TelegramUpdates.SuccessfulPayment(Member, payload, "charge-sample-1", 250, end, isFirst: true));
        await _bot.ReplyToAsync(Member, before, c => c.CallbackData.Contains("vipe:1:1"));
        before = _bot.Api.LastSequence;
        await _bot.PressAsync(Member, "vipe:1:1");
        await _bot.ReplyToAsync(Member, before, c => c.CallbackData.Contains("vipe:1:2"));
        before = _bot.Api.LastSequence;
        await _bot.PressAsync(Member, "vipe:1:2");
        var link = (await _bot.ReplyToAsync(Member, before, c => c.Urls.Count == 1)).Urls[0];
        await _bot.SendAsync(TelegramUpdates.JoinRequest(Vip, Member, link));
        await _bot.Api.WaitForCallAsync("approveChatJoinRequest", c => c.Number("user_id") == Member);
        Assert.Equal("member", _bot.Api.ChatMemberStatus(Member));

        // Subscribed: /buy shows the status, no second invoice.
        before = await _bot.SayAsync(Member, "/buy");
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("renews automatically", StringComparison.Ordinal));
        Assert.Single(_bot.Api.Calls("createInvoiceLink"));

        before = await _bot.SayAsync(TelegramBotHarness.AdminId, "/refund " + Member);
        await _bot.ReplyToAsync(TelegramBotHarness.AdminId, before, c => c.Text("text")!.Contains("refunded", StringComparison.Ordinal));
        var refund = await _bot.Api.WaitForCallAsync("refundStarPayment", afterSequence: before);
        Assert.Equal((Member, "charge-sample-1"), (refund.Number("user_id"), refund.Text("telegram_payment_charge_id")));
        await _bot.Api.WaitForCallAsync("editUserStarSubscription", c => c.Bool("is_canceled") == true, afterSequence: before);
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("refunded", StringComparison.Ordinal));
        var deadline = DateTime.UtcNow + TelegramBotHarness.Timeout;
        while (_bot.Api.ChatMemberStatus(Member) != "left" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        Assert.Equal("left", _bot.Api.ChatMemberStatus(Member));
    }

    [Fact]
    public async Task Start_WithoutASubscription_SendsTheOffer_AndActivationCodesStillWork()
    {
        var before = await _bot.SayAsync(Member, "/start");
        await _bot.ReplyToAsync(Member, before, c => c.Urls.Count == 1 && c.Urls[0].StartsWith("https://t.me/$FAKEINVOICE", StringComparison.Ordinal));

        var stage1 = await _bot.ActivateAsync(Member);
        Assert.Equal(["vipe:1:1"], stage1.CallbackData);
    }

    [Fact]
    public async Task SomeoneElsesPreCheckout_IsRefused_AndATamperedOneIsRefusedByTheLibrary()
    {
        await _bot.SendAsync(TelegramUpdates.PreCheckout(Member, "a-product-of-someone-else", 99, "checkout-other"));
        var other = await _bot.Api.WaitForCallAsync("answerPreCheckoutQuery", c => c.Text("pre_checkout_query_id") == "checkout-other");
        Assert.False(other.Bool("ok"));

        await _bot.SendAsync(TelegramUpdates.PreCheckout(Member, "vipes:1:4217:250:AAAAAAAAAAAAAAAAAAAAAA", 250, "checkout-forged"));
        var forged = await _bot.Api.WaitForCallAsync("answerPreCheckoutQuery", c => c.Text("pre_checkout_query_id") == "checkout-forged");
        Assert.False(forged.Bool("ok"));
        Assert.StartsWith("This invoice cannot be paid", forged.Text("error_message"), StringComparison.Ordinal);
    }
}
