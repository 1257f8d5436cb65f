using System.Diagnostics.CodeAnalysis;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Messages;

/// <summary>
/// The compact, versioned callback-data format of VipEntry buttons (R14): <c>vipe:1:1</c> and <c>vipe:1:2</c>
/// advance from stage 1 or 2, <c>vipe:1:n</c> asks for a new link, <c>vipe:1:r</c> asks for a re-entry link (R16). Always far below Telegram's 64-byte limit.
/// </summary>
public static class VipEntryCallbackData
{
    /// <summary>The prefix that marks VipEntry callback data, so a host can route it.</summary>
    public const string Prefix = "vipe:";

    /// <summary>The current format version.</summary>
    public const int Version = 1;

    /// <summary>The most bytes any encoded callback takes.</summary>
    public const int MaxBytes = 64;

    private const string V1 = "vipe:1:";

    /// <summary>Encodes "advance from <paramref name="from"/>".</summary>
    /// <param name="from">Stage 1 or 2.</param>
    /// <returns>The callback data.</returns>
    /// <exception cref="ArgumentOutOfRangeException">For any other stage.</exception>
    public static string EncodeAdvance(VipEntryStage from) => from switch
    {
        VipEntryStage.ActivationConfirmation => V1 + "1",
        VipEntryStage.ExpectationAlignment => V1 + "2",
        _ => throw new ArgumentOutOfRangeException(nameof(from), from, "Only stages 1 and 2 can be advanced from."),
    };

    /// <summary>Encodes "give me a new link".</summary>
    /// <returns>The callback data.</returns>
    public static string EncodeRequestNewLink() => V1 + "n";

    /// <summary>Encodes "I completed the ritual but am not inside the channel: give me a re-entry link" (R16).</summary>
    /// <returns>The callback data.</returns>
    public static string EncodeRequestReentry() => V1 + "r";

    /// <summary>Whether <paramref name="data"/> looks like VipEntry callback data (of any version).</summary>
    /// <param name="data">Untrusted callback data.</param>
    /// <returns><see langword="true"/> when it starts with <see cref="Prefix"/>.</returns>
    public static bool IsVipEntryData([NotNullWhen(true)] string? data) =>
        data is not null && data.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Decodes untrusted callback data; never throws (R11).</summary>
    /// <param name="data">The callback data.</param>
    /// <param name="callback">The decoded callback, when valid.</param>
    /// <returns><see langword="true"/> for well-formed version-1 data.</returns>
    public static bool TryDecode([NotNullWhen(true)] string? data, [NotNullWhen(true)] out VipEntryCallback? callback)
    {
        callback = data switch
        {
            V1 + "1" => new VipEntryCallback(VipEntryCallbackAction.Advance, VipEntryStage.ActivationConfirmation),
            V1 + "2" => new VipEntryCallback(VipEntryCallbackAction.Advance, VipEntryStage.ExpectationAlignment),
            V1 + "n" => new VipEntryCallback(VipEntryCallbackAction.RequestNewLink, VipEntryStage.AccessDelivery),
            V1 + "r" => new VipEntryCallback(VipEntryCallbackAction.RequestReentry, VipEntryStage.Completed),
            _ => null,
        };
        return callback is not null;
    }
}
