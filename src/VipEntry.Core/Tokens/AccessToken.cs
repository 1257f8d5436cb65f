using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace VipEntry.Core.Tokens;

/// <summary>
/// A validated access token: exactly 64 characters of the deep-link alphabet <c>A–Z a–z 0–9 _ -</c>.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> never reveals the value (R12); read <see cref="Value"/> only to hand the token
/// to the member. Only <see cref="ComputeHash"/> is ever stored.
/// </remarks>
public readonly struct AccessToken : IEquatable<AccessToken>
{
    /// <summary>The length of every token.</summary>
    public const int Length = 64;

    /// <summary>The length of a stored token hash (lower-case hex SHA-256).</summary>
    public const int HashLength = 64;

    private readonly string? _value;

    private AccessToken(string value) => _value = value;

    /// <summary>The plain token. Hand it to the member once; never log or store it.</summary>
    public string Value => _value ?? throw new InvalidOperationException("The access token is uninitialized.");

    /// <summary>Whether this instance holds a token (a <see langword="default"/> instance does not).</summary>
    public bool HasValue => _value is not null;

    /// <summary>
    /// Validates untrusted input strictly. Never throws: anything a member can send (empty, wrong length,
    /// wrong alphabet, Unicode, very long, SQL metacharacters) simply fails (R11).
    /// </summary>
    /// <param name="input">The candidate token.</param>
    /// <param name="token">The token, when valid.</param>
    /// <returns><see langword="true"/> when <paramref name="input"/> is a well-formed token.</returns>
    public static bool TryParse([NotNullWhen(true)] string? input, out AccessToken token)
    {
        if (input is null || input.Length != Length)
        {
            token = default;
            return false;
        }

        foreach (var c in input)
        {
            if (!IsAlphabetChar(c))
            {
                token = default;
                return false;
            }
        }

        token = new AccessToken(input);
        return true;
    }

    /// <summary>Creates a token from 48 bytes, base64url-encoded without padding.</summary>
    /// <param name="bytes">Exactly 48 bytes.</param>
    /// <returns>The token.</returns>
    /// <exception cref="ArgumentException">When <paramref name="bytes"/> is not 48 bytes long.</exception>
    public static AccessToken FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 48)
        {
            throw new ArgumentException("An access token is made of exactly 48 bytes.", nameof(bytes));
        }

        return new AccessToken(System.Buffers.Text.Base64Url.EncodeToString(bytes));
    }

    /// <summary>Whether <paramref name="c"/> is in the deep-link alphabet <c>A–Z a–z 0–9 _ -</c>.</summary>
    /// <param name="c">The character.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsAlphabetChar(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-';

    /// <summary>The SHA-256 of the token as 64 lower-case hex characters: the only form that is stored.</summary>
    /// <returns>The hash.</returns>
    public string ComputeHash()
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> utf8 = stackalloc byte[Length];
        Encoding.ASCII.GetBytes(Value, utf8);
        SHA256.HashData(utf8, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Checks the token against a stored hash in constant time (R12).</summary>
    /// <param name="storedHash">The stored hash; may be anything, including <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the token hashes to <paramref name="storedHash"/>.</returns>
    public bool MatchesHash(string? storedHash)
    {
        if (storedHash is null || storedHash.Length != HashLength || !HasValue)
        {
            return false;
        }

        var mine = ComputeHash();
        return CryptographicOperations.FixedTimeEquals(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(mine.AsSpan()),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(storedHash.AsSpan()));
    }

    /// <inheritdoc />
    public bool Equals(AccessToken other) =>
        _value is not null && other._value is not null
            ? CryptographicOperations.FixedTimeEquals(
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(_value.AsSpan()),
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(other._value.AsSpan()))
            : _value is null && other._value is null;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AccessToken other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>A redacted description; the token itself is never included (R12).</summary>
    /// <returns><c>AccessToken(redacted)</c>.</returns>
    public override string ToString() => HasValue ? "AccessToken(redacted)" : "AccessToken(none)";

    /// <summary>Equality, compared in constant time.</summary>
    /// <param name="left">One token.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(AccessToken left, AccessToken right) => left.Equals(right);

    /// <summary>Inequality, compared in constant time.</summary>
    /// <param name="left">One token.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(AccessToken left, AccessToken right) => !left.Equals(right);
}
