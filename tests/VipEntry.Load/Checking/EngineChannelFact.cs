namespace VipEntry.Load.Checking;

/// <summary>What the engine recorded about a person of the VIP chat (its channel table): may they be inside, may a ban stand.</summary>
public sealed record EngineChannelFact(long PersonId, bool MayBeInside, bool BanMayStand);
