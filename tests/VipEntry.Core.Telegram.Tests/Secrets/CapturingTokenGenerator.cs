using System.Collections.Concurrent;
using VipEntry.Core.Tokens;

namespace VipEntry.Core.Telegram.Tests.Secrets;

/// <summary>The real random generator, remembering every plain token it handed out (so a scan can look for them).</summary>
internal sealed class CapturingTokenGenerator : ITokenGenerator
{
    private readonly RandomTokenGenerator _inner = new();

    public ConcurrentQueue<string> Tokens { get; } = new();

    public AccessToken Generate()
    {
        var token = _inner.Generate();
        Tokens.Enqueue(token.Value);
        return token;
    }
}
