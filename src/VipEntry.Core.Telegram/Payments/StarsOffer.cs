using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace VipEntry.Core.Telegram.Payments;

/// <summary>The current Stars offer: its price, the subscription period, and the key that signs its payloads.</summary>
/// <param name="options">The price and the key.</param>
internal sealed class StarsOffer(IOptionsMonitor<VipEntryTelegramOptions> options)
{
    /// <summary>Telegram Stars.</summary>
    public const string Currency = "XTR";

    /// <summary>Telegram's only subscription period: 30 days, in seconds.</summary>
    public const int PeriodSeconds = 2_592_000;

    /// <summary>The subscription period.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(PeriodSeconds);

    /// <summary>The price of one period in Stars, or <see langword="null"/> when nothing is sold.</summary>
    public int? Price => options.CurrentValue.StarsPrice;

    /// <summary>The HMAC key of payloads: the configured secret, else one derived from the VIP chat (not secret).</summary>
    public byte[] Key
    {
        get
        {
            var o = options.CurrentValue;
            var secret = string.IsNullOrEmpty(o.StarsPayloadKey) ? "VipEntry.Stars.Chat:" + o.ChatId.ToString(System.Globalization.CultureInfo.InvariantCulture) : o.StarsPayloadKey;
            return SHA256.HashData(Encoding.UTF8.GetBytes("VipEntry.Stars.Payload\n" + secret));
        }
    }
}
