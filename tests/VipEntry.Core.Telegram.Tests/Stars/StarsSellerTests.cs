using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;
using static VipEntry.Core.Telegram.Tests.Stars.StarsFlow;

namespace VipEntry.Core.Telegram.Tests.Stars;

/// <summary>
/// Issue 17: selling VIP access with Telegram Stars subscriptions, against the fake Bot API with the real Telegram.Bot
/// client: the offer, the pre-checkout answer, each payment applied once per charge id (across redeliveries and replicas),
/// renewals, refunds and the member's own cancel. The ritual and the payments run on the in-memory stores and on the EF
/// store (SQLite, PostgreSQL: the payments in its vip_entry_payments table).
/// </summary>
public sealed class StarsSellerTests
{
    private const long Member = 17001;
    private const long Other = 17002;

    [Theory]
    [InlineData(TestStore.InMemory)]
    [InlineData(TestStore.Sqlite)]
    public async Task Offer_PreCheckout_Payment_StartsTheRitual_ThroughToJoined(TestStore store)
    {
        await using var host = new TelegramTestHost(storeKind: store, starsPrice: Price);
        host.Api.TrackMembership = true;

        var payload = await OfferAsync(host, Member);
        var invoice = Assert.Single(host.Api.Succeeded("createInvoiceLink"));
        Assert.Equal("XTR", invoice.Text("currency"));
        Assert.Equal(2592000, invoice.Number("subscription_period"));
        Assert.Equal(Price, invoice.Body["prices"]![0]!["amount"]!.GetValue<int>());
        Assert.StartsWith("vipes:1:17001:250:", payload, StringComparison.Ordinal);
        var offer = host.Api.Succeeded("sendMessage")[^1];
        Assert.Equal(Member, offer.Number("chat_id"));
        Assert.Equal(["https://t.me/$FAKEINVOICE1"], offer.Urls);

        Assert.True(await host.HandleAsync(TelegramUpdates.PreCheckout(Member, payload, Price, "checkout-1")));
        var answer = Assert.Single(host.Api.Succeeded("answerPreCheckoutQuery"));
        Assert.Equal("checkout-1", answer.Text("pre_checkout_query_id"));
        Assert.True(answer.Bool("ok"));
        Assert.False(answer.Has("error_message"));
        Assert.Equal(VipEntryStage.NotEnrolled, (await host.StatusAsync(Member)).Stage);   // nothing before the payment

        var end = PeriodEnd(host);
        var before = host.Api.LastSequence;
        Assert.True(await PayAsync(host, Member, payload, "charge-first", end, isFirst: true));
        var status = await host.StatusAsync(Member);
        Assert.Equal(VipEntryStage.ActivationConfirmation, status.Stage);
        Assert.Equal(end, status.SubscriptionEndsAt);
        Assert.Equal(1, Stage1PromptsSent(host, Member, before));
        var recorded = await host.PaymentsAsync(p => p.FindAsync("charge-first"));
        Assert.NotNull(recorded);
        Assert.Equal((Member, "XTR", 250L, end, true, true), (recorded.PersonId, recorded.Currency, recorded.Amount, recorded.PeriodEnd, recorded.IsRecurring, recorded.IsFirstRecurring));
        Assert.NotNull(recorded.AppliedAt);

        await WalkToJoinedAsync(host, Member);
        Assert.Equal("member", host.Api.ChatMemberStatus(Member));
        Assert.True((await host.StatusAsync(Member)).IsEntitled);

        // With an active subscription there is no second offer: /buy shows the status.
        var again = host.Api.LastSequence;
        Assert.Equal(VipEntryStarsOfferOutcome.AlreadySubscribed, await host.SellerAsync(s => s.OfferAsync(Member)));
        Assert.DoesNotContain(host.Api.Calls("createInvoiceLink"), c => c.Sequence > again);
        Assert.Contains(end.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), host.Api.Succeeded("sendMessage")[^1].Text("text"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestStore.InMemory)]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task SamePayment_DeliveredTwice_AndToTwoReplicasAtOnce_ActivatesOnce(TestStore store)
    {
        await using var api = new FakeBotApiServer();
        var time = new RecordingTimeProvider(TelegramTestHost.Start.AddTicks(1234567));
        // In memory the replicas share one payment store; on SQLite and PostgreSQL they share the database's table.
        var payments = store == TestStore.InMemory ? new InMemoryVipEntryPaymentStore() : null;
        var shared = store == TestStore.InMemory ? new InMemoryVipEntryStore() : null;
        string? database = null;
        if (store == TestStore.Postgres)
        {
            await PostgresServer.RequireAsync();
            database = await PostgresServer.CreateDatabaseAsync("stars_replicas");
        }
        else if (store == TestStore.Sqlite)
        {
            database = Path.Combine(Path.GetTempPath(), $"vipentry-stars-{Guid.NewGuid():N}.db");
        }

        try
        {
            await using var one = new TelegramTestHost(api, store: shared, time: time, storeKind: store, database: database, starsPrice: Price, payments: payments);
            await using var two = new TelegramTestHost(api, store: shared, time: time, storeKind: store, database: database, starsPrice: Price, payments: payments);
            var payload = await OfferAsync(one, Member);
            var end = PeriodEnd(one);
            var update = TelegramUpdates.SuccessfulPayment(Member, payload, "charge-twice", Price, end, isFirst: true);

            // Replica one holds the payment while its stage-1 message is in flight; replica two gets the same update then.
            // (The wait is for a call after the offer's message: waiting from before it let replica two race replica one to
            // the claim and then block on the held send.)
            var hold = api.Hold("sendMessage");
            var offered = api.LastSequence;
            var first = one.HandleAsync(update);
            await api.WaitForCallAsync("sendMessage", c => c.Number("chat_id") == Member, includeFailed: true, afterSequence: offered);
            Assert.True(await two.HandleAsync(update));
            hold.Release();
            Assert.True(await first);

            // Telegram redelivers it to each replica afterwards.
            Assert.True(await one.HandleAsync(update));
            Assert.True(await two.HandleAsync(update));

            Assert.Equal(1, Stage1PromptsSent(one, Member));
            var status = await one.StatusAsync(Member);
            Assert.Equal(VipEntryStage.ActivationConfirmation, status.Stage);
            Assert.Equal(end, status.SubscriptionEndsAt);
            Assert.NotNull((await two.PaymentsAsync(p => p.FindAsync("charge-twice")))?.AppliedAt);   // the shared store (memory or the database)
            Assert.Equal(VipEntryStarsCycleReport.Empty, await two.SellerAsync(s => s.RunOnceAsync()));
        }
        finally
        {
            if (store == TestStore.Postgres)
            {
                await PostgresServer.DropDatabaseAsync(database!);
            }
            else if (database is not null)
            {
                File.Delete(database);
            }
        }
    }

    [Theory]
    [InlineData(TestStore.InMemory)]
    [InlineData(TestStore.Sqlite)]
    public async Task RecurringPayment_RenewsACompletedMember_WithoutANewRitual(TestStore store)
    {
        await using var host = new TelegramTestHost(storeKind: store, starsPrice: Price);
        host.Api.TrackMembership = true;
        var (payload, _) = await PaidAndJoinedAsync(host, Member, "charge-1");
        host.Time.Advance(TimeSpan.FromDays(29).Add(TimeSpan.FromTicks(7654321)));

        var before = host.Api.LastSequence;
        var next = PeriodEnd(host);
        Assert.True(await PayAsync(host, Member, payload, "charge-2", next, isFirst: false));

        var status = await host.StatusAsync(Member);
        Assert.Equal(VipEntryStage.Completed, status.Stage);
        Assert.Equal(next, status.SubscriptionEndsAt);
        Assert.DoesNotContain(host.Api.Calls(), c => c.Sequence > before && c.Method is "sendMessage" or "createChatInviteLink" or "banChatMember" or "unbanChatMember");
        Assert.Equal("member", host.Api.ChatMemberStatus(Member));

        // Past the first period: still entitled, nobody removed.
        host.Time.Advance(TimeSpan.FromDays(2));
        await host.RunChannelCycleAsync();
        Assert.True((await host.StatusAsync(Member)).IsEntitled);
        Assert.Empty(host.Api.Calls("banChatMember"));
    }

    [Fact]
    public async Task RecurringPayment_OfAMemberMidRitual_RestartsAtStage1_AsAnyRenewal()
    {
        await using var host = new TelegramTestHost(starsPrice: Price);
        var payload = await OfferAsync(host, Member);
        Assert.True(await PayAsync(host, Member, payload, "charge-1", PeriodEnd(host), isFirst: true));
        await PressAsync(host, Member);
        Assert.Equal(VipEntryStage.ExpectationAlignment, (await host.StatusAsync(Member)).Stage);
        host.Time.Advance(TimeSpan.FromDays(29).Add(TimeSpan.FromTicks(1234567)));

        var before = host.Api.LastSequence;
        Assert.True(await PayAsync(host, Member, payload, "charge-2", PeriodEnd(host), isFirst: false));

        Assert.Equal(VipEntryStage.ActivationConfirmation, (await host.StatusAsync(Member)).Stage);
        Assert.Equal(1, Stage1PromptsSent(host, Member, before));
    }

    [Fact]
    public async Task FirstPayment_OfALapsedMember_StartsTheRitualAgain()
    {
        await using var host = new TelegramTestHost(starsPrice: Price);
        host.Api.TrackMembership = true;
        var (payload, end) = await PaidAndJoinedAsync(host, Member, "charge-1");
        host.Time.Advance(end - host.Time.GetUtcNow() + TimeSpan.FromTicks(3456789));
        await host.RunChannelCycleAsync();
        Assert.Equal("left", host.Api.ChatMemberStatus(Member));

        var again = await OfferAsync(host, Member);
        var before = host.Api.LastSequence;
        Assert.True(await PayAsync(host, Member, again, "charge-new", PeriodEnd(host), isFirst: true));

        Assert.Equal(VipEntryStage.ActivationConfirmation, (await host.StatusAsync(Member)).Stage);
        Assert.Equal(1, Stage1PromptsSent(host, Member, before));
        Assert.NotEqual(payload, string.Empty);
    }

    public static TheoryData<string, string> RefusedCheckouts => new()
    {
        { "tampered payload", "tampered" },
        { "wrong amount", "amount" },
        { "wrong currency", "currency" },
        { "forwarded invoice", "forwarded" },
        { "an older offer", "old price" },
    };

    [Theory]
    [MemberData(nameof(RefusedCheckouts))]
    public async Task TamperedPayload_WrongAmount_WrongCurrency_AreRefusedAtPreCheckout(string name, string kind)
    {
        await using var host = new TelegramTestHost(starsPrice: Price);
        var (payer, payload, amount, currency) = await CheckoutAsync(host, kind);

        Assert.True(await host.HandleAsync(TelegramUpdates.PreCheckout(payer, payload, amount, "checkout-x", currency, languageCode: "es")), name);

        var answer = Assert.Single(host.Api.Succeeded("answerPreCheckoutQuery"));
        Assert.False(answer.Bool("ok"));
        Assert.StartsWith("Esta factura no se puede pagar", answer.Text("error_message"), StringComparison.Ordinal);
    }

    // An older offer's payment is no refusal (a renewal keeps its price): RenewalAtAnOlderPrice_IsStillApplied.
    public static TheoryData<string, string> RefusedPayments => new()
    {
        { "tampered payload", "tampered" },
        { "wrong amount", "amount" },
        { "wrong currency", "currency" },
        { "paid by another account", "forwarded" },
    };

    [Theory]
    [MemberData(nameof(RefusedPayments))]
    public async Task PaymentWithARefusedPayload_ActivatesNothing_AndIsLogged(string name, string kind)
    {
        await using var host = new TelegramTestHost(starsPrice: Price);
        var (payer, payload, amount, currency) = await CheckoutAsync(host, kind);

        var before = host.Api.LastSequence;
        Assert.True(await host.HandleAsync(TelegramUpdates.SuccessfulPayment(payer, payload, "charge-bad", amount, PeriodEnd(host), isFirst: true, currency)), name);

        Assert.Equal(VipEntryStage.NotEnrolled, (await host.StatusAsync(payer)).Stage);
        Assert.Equal(VipEntryStage.NotEnrolled, (await host.StatusAsync(Member)).Stage);
        Assert.Null(await host.PaymentsAsync(p => p.FindAsync("charge-bad")));
        Assert.DoesNotContain(host.Api.Calls(), c => c.Sequence > before);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 2031 && r.Message.Contains("charge-bad", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenewalAtAnOlderPrice_IsStillApplied()
    {
        await using var host = new TelegramTestHost(starsPrice: Price);
        var old = await OfferAsync(host, Member);
        Assert.True(await PayAsync(host, Member, old, "charge-1", PeriodEnd(host), isFirst: true));
        host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<VipEntryTelegramOptions>>().CurrentValue.StarsPrice = 300;
        host.Time.Advance(TimeSpan.FromDays(29.5));

        var next = PeriodEnd(host);
        Assert.True(await PayAsync(host, Member, old, "charge-2", next, isFirst: false));

        Assert.Equal(next, (await host.StatusAsync(Member)).SubscriptionEndsAt);
    }

    [Fact]
    public async Task PayloadsThatAreNotOurs_AreLeftToTheHost()
    {
        await using var host = new TelegramTestHost(starsPrice: Price);

        Assert.False(await host.HandleAsync(TelegramUpdates.PreCheckout(Member, "host-product-7", 99, "checkout-host")));
        Assert.False(await host.HandleAsync(TelegramUpdates.SuccessfulPayment(Member, "host-product-7", "charge-host", 99, null, isFirst: false, isRecurring: false)));

        Assert.Empty(host.Api.Calls());
        Assert.Null(await host.PaymentsAsync(p => p.FindAsync("charge-host")));
    }

    [Fact]
    public async Task WithoutSellWithStars_PaymentUpdatesAreTheHosts_AndNothingIsSold()
    {
        await using var host = new TelegramTestHost();

        Assert.Null(host.Services.CreateScope().ServiceProvider.GetService<IVipEntryStarsSeller>());
        Assert.False(await host.HandleAsync(TelegramUpdates.PreCheckout(Member, "vipes:1:17001:250:AAAA", Price, "checkout-off")));
        Assert.Empty(host.Api.Calls());
    }

    [Theory]
    [InlineData(TestStore.InMemory)]
    [InlineData(TestStore.Sqlite)]
    public async Task Refund_RemovesTheMemberOnce_TellsThem_AndCancelsTheRenewal(TestStore store)
    {
        await using var host = new TelegramTestHost(storeKind: store, starsPrice: Price);
        host.Api.TrackMembership = true;
        var (payload, end) = await PaidAndJoinedAsync(host, Member, "charge-1");
        host.Time.Advance(TimeSpan.FromDays(3).Add(TimeSpan.FromTicks(1234567)));

        Assert.Equal(VipEntryStarsRefundOutcome.Refunded, await host.SellerAsync(s => s.RefundLatestAsync(Member)));

        var refund = Assert.Single(host.Api.Succeeded("refundStarPayment"));
        Assert.Equal((Member, "charge-1"), (refund.Number("user_id"), refund.Text("telegram_payment_charge_id")));
        var cancel = Assert.Single(host.Api.Succeeded("editUserStarSubscription"));
        Assert.Equal((Member, "charge-1", true), (cancel.Number("user_id"), cancel.Text("telegram_payment_charge_id"), cancel.Bool("is_canceled")));
        Assert.False((await host.StatusAsync(Member)).IsActive);
        Assert.Equal("left", host.Api.ChatMemberStatus(Member));
        Assert.Contains(host.Api.Succeeded("sendMessage"), c => c.Number("chat_id") == Member && c.Text("text") == "Your payment was refunded and your VIP subscription has ended.");
        var paid = await host.PaymentsAsync(p => p.FindAsync("charge-1"));
        Assert.NotNull(paid?.RefundedAt);
        Assert.NotNull(paid.RenewalCanceledAt);

        // Twice is harmless: Telegram says it is refunded already; nothing is removed, told or canceled again.
        var before = host.Api.LastSequence;
        host.Api.FailNext("refundStarPayment", 400, "Bad Request: CHARGE_ALREADY_REFUNDED");
        Assert.Equal(VipEntryStarsRefundOutcome.AlreadyRefunded, await host.SellerAsync(s => s.RefundLatestAsync(Member)));
        host.Time.Advance(TimeSpan.FromMinutes(11));
        await host.RunChannelCycleAsync();
        await host.RunChannelCycleAsync();
        Assert.Equal(VipEntryStarsCycleReport.Empty, await host.SellerAsync(s => s.RunOnceAsync()));
        Assert.Single(host.Api.Succeeded("banChatMember"));
        Assert.DoesNotContain(host.Api.Calls(), c => c.Sequence > before && c.Method is "banChatMember" or "editUserStarSubscription");
        Assert.DoesNotContain(host.Api.Calls("sendMessage"), c => c.Sequence > before && c.Text("text")!.Contains("refunded", StringComparison.Ordinal));

        // The refunded payment redelivered activates nothing.
        Assert.True(await PayAsync(host, Member, payload, "charge-1", end, isFirst: true));
        Assert.False((await host.StatusAsync(Member)).IsActive);
    }

    [Fact]
    public async Task Refund_WhoseBotApiCallFails_IsReported_AndASecondRefundRetriesIt()
    {
        await using var host = new TelegramTestHost(starsPrice: Price);
        host.Api.TrackMembership = true;
        await PaidAndJoinedAsync(host, Member, "charge-1");

        host.Api.FailNext("refundStarPayment", 500, "Internal Server Error");
        Assert.Equal(VipEntryStarsRefundOutcome.Failed, await host.SellerAsync(s => s.RefundLatestAsync(Member)));
        Assert.True((await host.StatusAsync(Member)).IsActive);   // the money was not returned
        Assert.Equal("member", host.Api.ChatMemberStatus(Member));
        Assert.NotNull((await host.PaymentsAsync(p => p.FindAsync("charge-1")))?.RefundedAt);

        Assert.Equal(VipEntryStarsRefundOutcome.Refunded, await host.SellerAsync(s => s.RefundLatestAsync(Member)));
        Assert.False((await host.StatusAsync(Member)).IsActive);
        Assert.Equal("left", host.Api.ChatMemberStatus(Member));
        Assert.Equal(2, host.Api.Calls("refundStarPayment").Count);
    }

    // Between steps: the admin refunds while the payment is being applied (claimed, the activation in flight). Whichever of
    // "mark applied" and "mark refunded" the store orders second sees the other: the member ends with no subscription,
    // is not inside, is sent no stage 1, and the payment is never applied.
    [Theory]
    [InlineData(TestStore.InMemory)]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Refund_WhileThePaymentIsBeingApplied_LeavesNoSubscription(TestStore store)
    {
        if (store == TestStore.Postgres)
        {
            await PostgresServer.RequireAsync();
        }

        var gate = new GatedEngine.Gate();
        await using var host = new TelegramTestHost(storeKind: store, starsPrice: Price, services: s =>
        {
            s.AddScoped<VipEntry.Core.Engine.VipEntryStateMachine>();
            s.AddScoped(sp => GatedEngine.Wrap(sp.GetRequiredService<VipEntry.Core.Engine.VipEntryStateMachine>(), gate));
        });
        host.Time.Advance(TimeSpan.FromTicks(7_654_321));
        var payload = await OfferAsync(host, Member);
        var paying = PayAsync(host, Member, payload, "charge-raced", PeriodEnd(host), isFirst: true);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The refund finds the recorded payment, marks it, refunds it and ends a subscription that has not started yet.
        Assert.Equal(VipEntryStarsRefundOutcome.Refunded, await host.SellerAsync(s => s.RefundLatestAsync(Member)));
        gate.Open.SetResult();
        Assert.True(await paying);

        Assert.False((await host.StatusAsync(Member)).IsActive);
        Assert.Equal(0, Stage1PromptsSent(host, Member));
        var payment = await host.PaymentsAsync(p => p.FindAsync("charge-raced"));
        Assert.NotNull(payment?.RefundedAt);
        Assert.Null(payment.AppliedAt);
        Assert.Single(host.Api.Succeeded("refundStarPayment"));

        // Nothing brings it back: a redelivery and the payments worker apply nothing.
        Assert.True(await PayAsync(host, Member, payload, "charge-raced", PeriodEnd(host), isFirst: true));
        host.Time.Advance(TimeSpan.FromMinutes(11));
        await host.SellerAsync(s => s.RunOnceAsync());
        Assert.False((await host.StatusAsync(Member)).IsActive);
        Assert.Equal(0, Stage1PromptsSent(host, Member));
    }

    [Fact]
    public async Task Refund_OfAMemberWhoNeverPaid_DoesNothing()
    {
        await using var host = new TelegramTestHost(starsPrice: Price);
        Assert.Equal(VipEntryStarsRefundOutcome.NoPayment, await host.SellerAsync(s => s.RefundLatestAsync(Other)));
        Assert.Empty(host.Api.Calls());
    }

    [Theory]
    [InlineData(TestStore.InMemory)]
    [InlineData(TestStore.Sqlite)]
    public async Task Cancel_KeepsAccessUntilThePeriodEnds_ThenTheLapseRemoves(TestStore store)
    {
        await using var host = new TelegramTestHost(storeKind: store, starsPrice: Price);
        host.Api.TrackMembership = true;
        var (_, end) = await PaidAndJoinedAsync(host, Member, "charge-1");

        Assert.Equal(VipEntryStarsRenewalOutcome.Done, await host.SellerAsync(s => s.SetRenewalAsync(Member, renew: false)));
        var edit = Assert.Single(host.Api.Succeeded("editUserStarSubscription"));
        Assert.Equal((Member, "charge-1", true), (edit.Number("user_id"), edit.Text("telegram_payment_charge_id"), edit.Bool("is_canceled")));

        host.Time.Advance(end - host.Time.GetUtcNow() - TimeSpan.FromTicks(1234567));
        await host.RunChannelCycleAsync();
        Assert.True((await host.StatusAsync(Member)).IsEntitled);
        Assert.Equal("member", host.Api.ChatMemberStatus(Member));

        host.Time.Advance(TimeSpan.FromTicks(2469134));
        await host.RunChannelCycleAsync();
        Assert.False((await host.StatusAsync(Member)).IsActive);
        Assert.Equal("left", host.Api.ChatMemberStatus(Member));
    }

    [Fact]
    public async Task Cancel_ThenReEnable_BeforeTheEnd_KeepsTheMemberIn()
    {
        await using var host = new TelegramTestHost(starsPrice: Price);
        host.Api.TrackMembership = true;
        var (payload, end) = await PaidAndJoinedAsync(host, Member, "charge-1");

        Assert.Equal(VipEntryStarsRenewalOutcome.Done, await host.SellerAsync(s => s.SetRenewalAsync(Member, renew: false)));
        Assert.Equal(VipEntryStarsRenewalOutcome.Done, await host.SellerAsync(s => s.SetRenewalAsync(Member, renew: true)));
        Assert.Equal([true, false], host.Api.Succeeded("editUserStarSubscription").Select(c => c.Bool("is_canceled") ?? false));   // Telegram.Bot leaves a false out

        // Telegram renews at the period's end.
        host.Time.Advance(end - host.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.True(await PayAsync(host, Member, payload, "charge-2", PeriodEnd(host), isFirst: false));
        host.Time.Advance(TimeSpan.FromMinutes(5));
        await host.RunChannelCycleAsync();

        Assert.True((await host.StatusAsync(Member)).IsEntitled);
        Assert.Equal("member", host.Api.ChatMemberStatus(Member));
    }

    [Fact]
    public async Task Cancel_WithoutASubscription_IsNoSubscription()
    {
        await using var host = new TelegramTestHost(starsPrice: Price);
        Assert.Equal(VipEntryStarsRenewalOutcome.NoSubscription, await host.SellerAsync(s => s.SetRenewalAsync(Other, renew: false)));
        Assert.Empty(host.Api.Calls());
    }

    [Fact]
    public async Task APaymentWhoseHolderDied_IsAppliedByThePaymentsPass_AfterTheLease()
    {
        await using var host = new TelegramTestHost(starsPrice: Price);
        var end = PeriodEnd(host);
        var now = VipEntry.Core.Engine.VipEntryStateMachine.ToStorePrecision(host.Time.GetUtcNow());
        var payment = new VipEntryPayment("charge-orphan", Member, "XTR", Price, now, end, true, true);
        Assert.Equal(VipEntryPaymentClaim.Claimed, await host.PaymentsAsync(p => p.TryClaimAsync(payment, "dead-replica", now, now + TimeSpan.FromMinutes(1))));

        Assert.Equal(VipEntryStarsCycleReport.Empty, await host.SellerAsync(s => s.RunOnceAsync()));   // within its lease
        Assert.Equal(VipEntryStage.NotEnrolled, (await host.StatusAsync(Member)).Stage);

        host.Time.Advance(TimeSpan.FromMinutes(1).Add(TimeSpan.FromTicks(1234567)));
        Assert.Equal(new VipEntryStarsCycleReport(1, 0, 0), await host.SellerAsync(s => s.RunOnceAsync()));
        Assert.Equal(VipEntryStage.ActivationConfirmation, (await host.StatusAsync(Member)).Stage);
        Assert.Equal(1, Stage1PromptsSent(host, Member));
        Assert.Equal(VipEntryStarsCycleReport.Empty, await host.SellerAsync(s => s.RunOnceAsync()));
    }

    [Fact]
    public async Task TheLapseNotice_CarriesASubscribeAgainButton_ThatSendsTheOffer()
    {
        await using var host = new TelegramTestHost(starsPrice: Price);
        host.Api.TrackMembership = true;
        var (_, end) = await PaidAndJoinedAsync(host, Member, "charge-1");
        host.Time.Advance(end - host.Time.GetUtcNow() + TimeSpan.FromTicks(1234567));
        await host.RunChannelCycleAsync();

        var notice = host.Api.Succeeded("sendMessage").Last(c => c.Number("chat_id") == Member);
        Assert.Equal(["vipes:offer"], notice.CallbackData);
        var before = host.Api.LastSequence;
        Assert.True(await host.HandleAsync(TelegramUpdates.Callback(Member, "vipes:offer", "q-offer", messageId: notice.Sequence)));

        Assert.Contains(host.Api.Succeeded("answerCallbackQuery"), c => c.Sequence > before);
        Assert.Single(host.Api.Succeeded("createInvoiceLink"), c => c.Sequence > before);
    }

    private static async Task<(long Payer, string Payload, long Amount, string Currency)> CheckoutAsync(TelegramTestHost host, string kind)
    {
        var payload = await OfferAsync(host, Member);
        switch (kind)
        {
            case "tampered":
                // Another member's id under the original MAC.
                return (Other, payload.Replace(":17001:", ":17002:", StringComparison.Ordinal), Price, "XTR");
            case "amount":
                return (Member, payload, 1, "XTR");
            case "currency":
                return (Member, payload, Price, "USD");
            case "forwarded":
                return (Other, payload, Price, "XTR");
            default:
                // An invoice made at 100 Stars, before the price became 250.
                var older = new Payments.StarsPayload(Member, 100).Sign(host.Services.GetRequiredService<Payments.StarsOffer>().Key);
                return (Member, older, 100, "XTR");
        }
    }
}
