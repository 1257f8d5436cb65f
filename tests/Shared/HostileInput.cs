using System.Globalization;
using System.Text;
using CsCheck;

namespace VipEntry.Tests.Hostile;

/// <summary>
/// Generators of the text a member (or anyone who reaches the bot) can send (issue 10): invalid UTF-16 (lone surrogates),
/// up to 1 MB, control characters, right-to-left and invisible marks, SQL and format-string metacharacters, command and
/// callback look-alikes, and near misses of valid tokens and links. Linked into each test project that needs it.
/// </summary>
public static class HostileInput
{
    /// <summary>The deep-link alphabet of tokens and activation codes.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    /// <summary>The variable that multiplies every property's case count (the long mode; docs/reliability.md).</summary>
    public const string ScaleVariable = "VIPENTRY_PROPERTY_SCALE";

    /// <summary>The largest string tried: 1 MB of UTF-16 code units.</summary>
    public const int MaxLength = 1 << 20;

    private static readonly string[] Bidi = ["\u200E", "\u200F", "\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u061C", "\uFEFF", "\u200B", "\u200D", "\u00A0", "\u2028", "\u0301"];

    private static readonly string[] Sql =
    [
        "'", "\"", "`", "' OR '1'='1", "' OR 1=1 --", "'; DROP TABLE vip_subscribers; --", "--", "/*", "*/", ";", "%", "_", "\\", "\\0",
        "NULL", "' UNION SELECT vip_entry_token FROM vip_subscribers --", "$1", "@p0", ":p", "?", "E'\\x00'", "\\'", "''", "%_%",
    ];

    private static readonly string[] Format =
    [
        "{0}", "{1}", "{", "}", "{{", "}}", "{token}", "{expires}", "{retryAfter}", "{minutes}", "%s", "%n", "%d", "%x", "%%",
        "${jndi:ldap://x}", "{{7*7}}", "<script>", "&amp;", "{0:D99999}", "{,-2147483648}",
    ];

    private static readonly string[] Lookalikes =
    [
        "/start", "/start ", "/status", "/newcode", "/revoke", "/funnel", "/help", "/start@bot", "/START", "／start", " ", "\t", "\n", "\r\n",
        "vipe:", "vipe:1:", "vipe:1:1", "vipe:1:2", "vipe:1:n", "vipe:1:r", "vipe:2:1", "VIPE:1:1", "vipe:1:3", "vipe:1:١",
        "https://t.me/+", "https://t.me/+AAAAAAAAAAAAAAAAAAAA", "t.me/+", "tg://join?invite=", "-1", "0", "9223372036854775808", "-9223372036854775809",
        "0x10", "1e9", "٣", "１", "NaN", "Infinity", "😀", "𝔘", "é", "e\u0301", "Ａ",
    ];

    /// <summary>Any UTF-16 code unit, lone surrogates and NUL included.</summary>
    public static readonly Gen<char> AnyChar = Gen.Char['\0', '\uFFFF'];

    /// <summary>A well-formed 64-character token (format only: it belongs to nobody).</summary>
    public static readonly Gen<string> WellFormedToken = Gen.Char[Alphabet].Array[64, 64].Select(a => new string(a));

    /// <summary>A Telegram-like invite link that was never issued.</summary>
    public static readonly Gen<string> RandomInviteLink = Gen.Char[Alphabet].Array[12, 24].Select(a => "https://t.me/+" + new string(a));

    private static readonly Gen<string> Piece = Gen.Frequency(
        (6, AnyChar.Array[1, 40].Select(a => new string(a))),
        (3, Gen.Char['\uD800', '\uDFFF'].Array[1, 3].Select(a => new string(a))),
        (4, Gen.OneOf(Gen.Char['\0', '\u001F'], Gen.Char['\u007F', '\u009F']).Array[1, 4].Select(a => new string(a))),
        (4, Gen.OneOf(Bidi)),
        (5, Gen.OneOf(Sql)),
        (4, Gen.OneOf(Format)),
        (6, Gen.OneOf(Lookalikes)),
        (6, Gen.Char[Alphabet].Array[1, 70].Select(a => new string(a))));

    /// <summary>Hostile text: pieces glued together, sometimes a single near-64 run of the token alphabet, sometimes up to 1 MB.</summary>
    public static readonly Gen<string> Any = Gen.Frequency(
        (1, Gen.Const(string.Empty)),
        (30, Piece.Array[1, 10].Select(string.Concat)),
        (6, Gen.Char[Alphabet].Array[60, 68].Select(a => new string(a))),
        (2, Gen.Select(Gen.Int[1024, MaxLength], Gen.OneOf(AnyChar, Gen.Char[Alphabet]), (n, c) => new string(c, n))),
        (1, Gen.Select(Piece, Gen.Int[1, 4096], (p, n) => Repeat(p, n, MaxLength))));

    /// <summary>A near miss of a valid token or link, applied with <see cref="NearMiss.Apply"/>.</summary>
    public static readonly Gen<NearMiss> NearMisses = Gen.Select(Gen.Int[0, 7], Gen.Int[0, 1023], AnyChar, Gen.OneOf(Bidi), (kind, at, c, mark) => new NearMiss(kind, at, c, mark));

    /// <summary><paramref name="cases"/> times <c>VIPENTRY_PROPERTY_SCALE</c> (when set to an integer above 1).</summary>
    public static int Scaled(int cases) =>
        int.TryParse(Environment.GetEnvironmentVariable(ScaleVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var scale) && scale > 1 ? checked(cases * scale) : cases;

    /// <summary>A short, printable description of a (possibly huge, possibly invalid) string, for failure reports.</summary>
    public static string Describe(string? s)
    {
        if (s is null)
        {
            return "null";
        }

        var head = new StringBuilder();
        foreach (var c in s.AsSpan(0, Math.Min(s.Length, 80)))
        {
            head.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"[{s.Length} chars] \"{head}{(s.Length > 80 ? "…" : "")}\"");
    }

    /// <summary>Whether <paramref name="s"/> is exactly a well-formed token (the oracle of <c>AccessToken.TryParse</c>).</summary>
    public static bool IsWellFormedToken(string? s) => s is { Length: 64 } && s.All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    private static string Repeat(string piece, int times, int max)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < times && builder.Length + piece.Length <= max; i++)
        {
            builder.Append(piece);
        }

        return builder.ToString();
    }

    /// <summary>One way to miss a valid value by a little.</summary>
    public sealed record NearMiss(int Kind, int At, char Unit, string Mark)
    {
        public string Apply(string valid)
        {
            ArgumentNullException.ThrowIfNull(valid);
            var i = At % valid.Length;
            return Kind switch
            {
                0 => valid[..i] + Unit + valid[(i + 1)..],                                   // one character replaced by anything
                1 => valid[..^1],                                                           // one short
                2 => valid + Alphabet[At % Alphabet.Length],                                // one long
                3 => Mark + valid,                                                          // an invisible or bidi mark before
                4 => valid + Mark,                                                          // or after
                5 => valid[..i] + Flip(valid[i]) + valid[(i + 1)..],                         // one letter's case flipped (still well-formed)
                6 => valid[..i] + (char)(valid[i] + 0xFEE0) + valid[(i + 1)..],             // one character as its full-width twin
                _ => valid[..i] + Alphabet[(Alphabet.IndexOf(valid[i], StringComparison.Ordinal) + 1 + At) % Alphabet.Length] + valid[(i + 1)..], // another alphabet character
            };
        }

        public override string ToString() => $"near miss {Kind} at {At} ({Describe(Unit.ToString())}, {Describe(Mark)})";

        private static char Flip(char c) => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.IsLower(c) ? char.ToUpperInvariant(c) : c == '_' ? '-' : c == '-' ? '_' : (char)('0' + ((c - '0' + 1) % 10));
    }
}
