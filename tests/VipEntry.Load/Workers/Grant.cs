namespace VipEntry.Load.Workers;

/// <summary>
/// A grant this process minted (with its plain token, kept in memory only) or learned about (a recorded link shown to
/// its owner, no token).
/// </summary>
public sealed record Grant(long Owner, string? Token, string? Hash, string? Link);
