using VipEntry.Core.Messages;
using VipEntry.Core.Results;

namespace VipEntry.Core.Engine;

/// <summary>Where the member is and what to show them (R9).</summary>
/// <param name="Result">The state, and for stage 3 the delivery outcome.</param>
/// <param name="Prompt">The text and button to show.</param>
public sealed record VipEntryStep(VipEntryResult Result, VipEntryPrompt Prompt);
