namespace VipEntry.Core.EfCore.Tests.Faults;

/// <summary>
/// One call of a watched channel-store method: the fault injector's count of matching commands before and after it, and
/// the channel table before and after it (reduced to what it means).
/// </summary>
public sealed record WatchedCall(string Method, int CountBefore, int CountAfter, string Before, string After, Exception? Thrown);
