using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VipEntry.Core.Telegram.Payments;

/// <summary>
/// The invoice payload of a VipEntry Stars offer: <c>vipes:1:{member}:{price}:{mac}</c>, where the MAC is the first 16
/// bytes of HMAC-SHA256 over the rest (base64url). It names the member the invoice was made for and the offer (its price),
/// and anything else (the host's own products, an altered payload) is told apart without throwing (R11).
/// </summary>
/// <param name="MemberId">The member the invoice was made for.</param>
/// <param name="Price">The offer's price in Stars when the invoice was made.</param>
internal readonly record struct StarsPayload(long MemberId, int Price)
{
    /// <summary>What every VipEntry payload starts with; a payload without it is the host's.</summary>
    public const string Prefix = "vipes:";

    private const string Version = "1";
    private const int MacBytes = 16;

    // Telegram allows 1-128 bytes; ours are at most about 60.
    private const int MaxLength = 128;

    /// <summary>Whether the payload is VipEntry's (valid or not); otherwise it belongs to the host.</summary>
    public static bool IsOurs(string? payload) => payload is not null && payload.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The signed payload.</summary>
    public string Sign(byte[] key)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Version}:{MemberId}:{Price}");
        return body + ":" + Mac(body, key);
    }

    /// <summary>Reads a payload that <see cref="IsOurs"/> says is ours: valid only when well-formed and signed with <paramref name="key"/>.</summary>
    public static bool TryRead(string? payload, byte[] key, out StarsPayload value)
    {
        value = default;
        if (!IsOurs(payload) || payload!.Length > MaxLength)
        {
            return false;
        }

        var cut = payload.LastIndexOf(':');
        var body = payload[..cut];
        var parts = body.Split(':');
        if (parts.Length != 4 || parts[1] != Version
            || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var member)
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var price))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(body, key));
        var given = Encoding.UTF8.GetBytes(payload[(cut + 1)..]);
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return false;
        }

        value = new StarsPayload(member, price);
        return true;
    }

    private static string Mac(string body, byte[] key)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body));
        return Convert.ToBase64String(mac, 0, MacBytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
