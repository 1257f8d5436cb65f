using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using VipEntry.Core.Tokens;

namespace VipEntry.Benchmarks;

/// <summary>Token minting and checking against the bare cryptographic primitives they are built on.</summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    private readonly RandomTokenGenerator _generator = new();
    private readonly byte[] _buffer = new byte[48];
    private readonly byte[] _hash = new byte[32];
    private AccessToken _token;
    private string _storedHash = "";
    private string _input = "";

    [GlobalSetup]
    public void Setup()
    {
        _token = _generator.Generate();
        _storedHash = _token.ComputeHash();
        _input = _token.Value;
    }

    /// <summary>Physical floor of minting: 48 CSPRNG bytes plus one SHA-256, no encoding.</summary>
    [Benchmark(Baseline = true)]
    public byte[] RandomBytesAndSha256()
    {
        RandomNumberGenerator.Fill(_buffer);
        SHA256.HashData(_buffer, _hash);
        return _hash;
    }

    /// <summary>What the engine does to issue a grant: generate, encode, hash to hex.</summary>
    [Benchmark]
    public string GenerateAndHash() => _generator.Generate().ComputeHash();

    /// <summary>What redemption does with untrusted input: validate strictly, hash, compare in constant time.</summary>
    [Benchmark]
    public bool ParseAndVerify() => AccessToken.TryParse(_input, out var t) && t.MatchesHash(_storedHash);
}
