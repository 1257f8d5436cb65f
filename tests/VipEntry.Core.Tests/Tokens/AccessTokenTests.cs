using System.Security.Cryptography;
using System.Text;
using VipEntry.Core.Tokens;

namespace VipEntry.Core.Tests.Tokens;

public sealed class AccessTokenTests
{
    private const string Valid = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";

    private static AccessToken Parse(string value)
    {
        Assert.True(AccessToken.TryParse(value, out var token));
        return token;
    }

    [Fact]
    public void R5_A_well_formed_token_parses_and_hashes_to_lower_case_SHA256_hex()
    {
        Assert.True(AccessToken.TryParse(Valid, out var token));

        Assert.Equal(Valid, token.Value);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(Valid))), token.ComputeHash());
        Assert.Equal(AccessToken.HashLength, token.ComputeHash().Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_--")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_=")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ñ")]
    [InlineData("' OR 1=1 --xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public void R11_TryParse_rejects_malformed_input_without_throwing(string? input)
    {
        Assert.False(AccessToken.TryParse(input, out var token));
        Assert.False(token.HasValue);
    }

    [Fact]
    public void R11_A_10KB_token_is_rejected_without_throwing() =>
        Assert.False(AccessToken.TryParse(new string('a', 10 * 1024), out _));

    [Fact]
    public void R12_ToString_never_reveals_the_token()
    {
        var token = Parse(Valid);

        Assert.DoesNotContain(Valid, token.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Valid, $"{token}", StringComparison.Ordinal);
        Assert.Equal("AccessToken(redacted)", token.ToString());
        Assert.Equal("AccessToken(none)", default(AccessToken).ToString());
    }

    [Fact]
    public void R12_MatchesHash_accepts_only_the_exact_stored_hash()
    {
        var token = Parse(Valid);
        var hash = token.ComputeHash();

        Assert.True(token.MatchesHash(hash));
        Assert.False(token.MatchesHash(null));
        Assert.False(token.MatchesHash(string.Empty));
        Assert.False(token.MatchesHash(hash[..63]));
        Assert.False(token.MatchesHash(hash + "0"));
        Assert.False(token.MatchesHash(hash.ToUpperInvariant()));
        Assert.False(token.MatchesHash(Valid));
        for (var i = 0; i < hash.Length; i++)
        {
            var flipped = hash[..i] + (hash[i] == '0' ? '1' : '0') + hash[(i + 1)..];
            Assert.False(token.MatchesHash(flipped));
        }

        Assert.False(default(AccessToken).MatchesHash(hash));
    }

    [Fact]
    public void R12_Equality_compares_values()
    {
        var a = Parse(Valid);
        var b = Parse(Valid);
        var c = Parse(Valid[1..] + "A");

        Assert.True(a == b);
        Assert.True(a != c);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a.Equals(default));
        Assert.True(default(AccessToken) == default);
    }

    [Fact]
    public void R11_Reading_an_uninitialized_token_throws_without_a_secret_in_the_message()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => default(AccessToken).Value);
        Assert.DoesNotContain(Valid, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(47)]
    [InlineData(49)]
    public void R11_FromBytes_requires_48_bytes(int length) =>
        Assert.Throws<ArgumentException>(() => AccessToken.FromBytes(new byte[length]));
}
