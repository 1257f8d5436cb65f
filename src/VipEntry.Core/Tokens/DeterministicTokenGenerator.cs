namespace VipEntry.Core.Tokens;

/// <summary>
/// A repeatable generator for a host's own tests: the same seed gives the same sequence of tokens.
/// Never register it in production.
/// </summary>
public sealed class DeterministicTokenGenerator : ITokenGenerator
{
    private readonly Random _random;
    private readonly Lock _gate = new();

    /// <summary>Creates a generator whose sequence depends only on <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed.</param>
    public DeterministicTokenGenerator(int seed) => _random = new Random(seed);

    /// <inheritdoc />
    public AccessToken Generate()
    {
        Span<byte> bytes = stackalloc byte[48];
        lock (_gate)
        {
#pragma warning disable CA5394 // Deliberately not cryptographic: this generator exists for tests.
            _random.NextBytes(bytes);
#pragma warning restore CA5394
        }

        return AccessToken.FromBytes(bytes);
    }
}
