using VipEntry.Core.Tokens;

namespace VipEntry.Core.Tests.Tokens;

public sealed class TokenGeneratorTests
{
    [Fact]
    public void R5_100000_random_tokens_are_64_chars_of_the_deep_link_alphabet_and_all_distinct()
    {
        var generator = new RandomTokenGenerator();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var used = new HashSet<char>();

        for (var i = 0; i < 100_000; i++)
        {
            var value = generator.Generate().Value;
            Assert.Equal(64, value.Length);
            foreach (var c in value)
            {
                if (!AccessToken.IsAlphabetChar(c))
                {
                    Assert.Fail($"Character U+{(int)c:X4} is outside the deep-link alphabet.");
                }

                used.Add(c);
            }

            Assert.True(seen.Add(value), "A token repeated.");
            Assert.True(AccessToken.TryParse(value, out _));
        }

        // Base64url of random bytes uses the whole 64-character alphabet, including '_' and '-'.
        Assert.Equal(64, used.Count);
    }

    [Fact]
    public void R5_DeterministicTokenGenerator_repeats_its_sequence_per_seed()
    {
        var a = new DeterministicTokenGenerator(42);
        var b = new DeterministicTokenGenerator(42);
        var c = new DeterministicTokenGenerator(43);

        var first = Enumerable.Range(0, 100).Select(_ => a.Generate().Value).ToList();
        var second = Enumerable.Range(0, 100).Select(_ => b.Generate().Value).ToList();
        var other = Enumerable.Range(0, 100).Select(_ => c.Generate().Value).ToList();

        Assert.Equal(first, second);
        Assert.Equal(100, first.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(first.Intersect(other, StringComparer.Ordinal));
        Assert.All(first, t => Assert.True(AccessToken.TryParse(t, out _)));
    }
}
