using System.Text.Json.Serialization;
using VipEntry.Load.Checking;
using VipEntry.Load.Coordination;

namespace VipEntry.Load.Logging;

/// <summary>Source-generated JSON for the logs, the run manifest and the summary.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(LogLine))]
[JsonSerializable(typeof(RunManifest))]
[JsonSerializable(typeof(RunSummary))]
internal sealed partial class LoadJsonContext : JsonSerializerContext;
