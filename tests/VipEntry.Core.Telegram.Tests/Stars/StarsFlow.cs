using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests.Stars;

/// <summary>The steps of a Stars sale, as Telegram delivers them to the package's entry point.</summary>
internal static class StarsFlow
{
    public const int Price = 250;
    public const long Vip = TelegramTestHost.VipChatId;

    /// <summary>Sends the offer and returns the payload of the invoice it created.</summary>
    public static async Task<string> OfferAsync(TelegramTestHost host, long member)
    {
        var before = host.Api.LastSequence;
        Assert.Equal(VipEntryStarsOfferOutcome.Sent, await host.SellerAsync(s => s.OfferAsync(member)));
        var invoice = host.Api.Succeeded("createInvoiceLink").Last(c => c.Sequence > before);
        return invoice.Text("payload") ?? throw new InvalidOperationException("No payload.");
    }

    /// <summary>The period end of a payment made now (Telegram sends whole seconds).</summary>
    public static DateTimeOffset PeriodEnd(TelegramTestHost host, int months = 1) =>
        DateTimeOffset.FromUnixTimeSeconds(host.Time.GetUtcNow().AddDays(30 * months).ToUnixTimeSeconds());

    public static Task<bool> PayAsync(TelegramTestHost host, long member, string payload, string chargeId, DateTimeOffset periodEnd, bool isFirst, long amount = Price, string currency = "XTR") =>
        host.HandleAsync(TelegramUpdates.SuccessfulPayment(member, payload, chargeId, amount, periodEnd, isFirst, currency));

    /// <summary>Presses the only button of the last prompt sent to <paramref name="member"/>.</summary>
    public static async Task PressAsync(TelegramTestHost host, long member)
    {
        var last = host.Api.Succeeded("sendMessage").Last(c => c.Number("chat_id") == member);
        Assert.True(await host.HandleAsync(TelegramUpdates.Callback(member, Assert.Single(last.CallbackData), $"q-{last.Sequence}", messageId: last.Sequence)));
    }

    /// <summary>From stage 1 (its prompt sent) through the two buttons, the link and the join request: completed and inside.</summary>
    public static async Task WalkToJoinedAsync(TelegramTestHost host, long member)
    {
        await PressAsync(host, member);
        Assert.Equal(VipEntryStage.ExpectationAlignment, (await host.StatusAsync(member)).Stage);
        await PressAsync(host, member);
        Assert.Equal(VipEntryStage.AccessDelivery, (await host.StatusAsync(member)).Stage);
        var link = host.Api.Succeeded("sendMessage").Last(c => c.Number("chat_id") == member).Urls.Single();
        Assert.True(await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, member, link)));
        Assert.Contains(host.Api.Succeeded("approveChatJoinRequest"), c => c.Number("user_id") == member);
        Assert.Equal(VipEntryStage.Completed, (await host.StatusAsync(member)).Stage);
    }

    /// <summary>A member who paid (first payment of a subscription) and walked the ritual to the end.</summary>
    public static async Task<(string Payload, DateTimeOffset PeriodEnd)> PaidAndJoinedAsync(TelegramTestHost host, long member, string chargeId)
    {
        var payload = await OfferAsync(host, member);
        var end = PeriodEnd(host);
        Assert.True(await PayAsync(host, member, payload, chargeId, end, isFirst: true));
        await WalkToJoinedAsync(host, member);
        return (payload, end);
    }

    /// <summary>The stage-1 prompts sent to <paramref name="member"/> after <paramref name="afterSequence"/>.</summary>
    public static int Stage1PromptsSent(TelegramTestHost host, long member, int afterSequence = 0) =>
        host.Api.Succeeded("sendMessage").Count(c => c.Sequence > afterSequence && c.Number("chat_id") == member
            && c.CallbackData.Contains(VipEntry.Core.Messages.VipEntryCallbackData.EncodeAdvance(VipEntryStage.ActivationConfirmation)));
}
