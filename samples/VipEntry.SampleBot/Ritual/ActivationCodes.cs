using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using VipEntry.SampleBot.Data;

namespace VipEntry.SampleBot.Ritual;

/// <summary>
/// Single-use activation codes: 24 CSPRNG bytes in base64url (32 characters of the deep-link alphabet
/// <c>A–Z a–z 0–9 _ -</c>), stored only as a SHA-256 hash, consumed by one conditional UPDATE.
/// </summary>
/// <param name="db">The sample's database.</param>
/// <param name="time">The clock.</param>
public sealed class ActivationCodes(SampleDbContext db, TimeProvider time)
{
    /// <summary>The most days one code may grant.</summary>
    public const int MaxDays = 3650;

    // Telegram deep-link payloads are at most 64 characters.
    private const int MaxCodeLength = 64;

    /// <summary>Makes a new code.</summary>
    /// <param name="days">Days of subscription it grants (1 to <see cref="MaxDays"/>).</param>
    /// <param name="createdBy">The admin.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The code, shown once.</returns>
    public async Task<string> CreateAsync(int days, long createdBy, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);
        var code = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        db.ActivationCodes.Add(new ActivationCode { CodeHash = Hash(code), Days = days, CreatedBy = createdBy, CreatedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        return code;
    }

    /// <summary>Consumes a code for <paramref name="userId"/>: succeeds for exactly one caller, ever.</summary>
    /// <param name="code">Untrusted text.</param>
    /// <param name="userId">Who uses it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The days it grants, or <see langword="null"/> when it is malformed, unknown or already used.</returns>
    public async Task<int?> TryConsumeAsync(string? code, long userId, CancellationToken cancellationToken)
    {
        if (!IsWellFormed(code))
        {
            return null;
        }

        var hash = Hash(code);
        var now = time.GetUtcNow();
        var changed = await db.ActivationCodes
            .Where(c => c.CodeHash == hash && c.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAt, now).SetProperty(c => c.ConsumedBy, userId), cancellationToken);
        if (changed != 1)
        {
            return null;
        }

        return await db.ActivationCodes.Where(c => c.CodeHash == hash).Select(c => c.Days).SingleAsync(cancellationToken);
    }

    /// <summary>Gives a consumed code back when the activation it paid for did not happen, so it is not lost.</summary>
    /// <param name="code">The code.</param>
    /// <param name="userId">Who consumed it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public async Task ReleaseAsync(string code, long userId, CancellationToken cancellationToken)
    {
        var hash = Hash(code);
        await db.ActivationCodes
            .Where(c => c.CodeHash == hash && c.ConsumedBy == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAt, (DateTimeOffset?)null).SetProperty(c => c.ConsumedBy, (long?)null), cancellationToken);
    }

    private static bool IsWellFormed([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? code) =>
        !string.IsNullOrEmpty(code) && code.Length <= MaxCodeLength && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(code)));
}
