namespace VipEntry.Core.Tokens;

/// <summary>Makes new access tokens.</summary>
public interface ITokenGenerator
{
    /// <summary>Generates a new 64-character token.</summary>
    /// <returns>The token.</returns>
    AccessToken Generate();
}
