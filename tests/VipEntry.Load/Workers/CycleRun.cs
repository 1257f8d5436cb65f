using VipEntry.Core.Channel;

namespace VipEntry.Load.Workers;

/// <summary>One channel worker cycle as a process ran it: its report, or that the worker "crashed" in it; what it did with the channel store.</summary>
public sealed record CycleRun(VipEntryChannelCycleReport? Report, bool Crashed, ChannelStoreProbe? Probe);
