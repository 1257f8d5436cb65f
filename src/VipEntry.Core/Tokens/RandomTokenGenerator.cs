using System.Security.Cryptography;

namespace VipEntry.Core.Tokens;

/// <summary>
/// The production generator: 48 bytes from <see cref="RandomNumberGenerator"/>, base64url (R5).
/// </summary>
public sealed class RandomTokenGenerator : ITokenGenerator
{
    /// <inheritdoc />
    public AccessToken Generate()
    {
        Span<byte> bytes = stackalloc byte[48];
        RandomNumberGenerator.Fill(bytes);
        return AccessToken.FromBytes(bytes);
    }
}
