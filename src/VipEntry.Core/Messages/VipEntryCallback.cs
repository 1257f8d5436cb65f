using VipEntry.Core.Stages;

namespace VipEntry.Core.Messages;

/// <summary>Decoded callback data.</summary>
/// <param name="Action">The action.</param>
/// <param name="Stage">For <see cref="VipEntryCallbackAction.Advance"/>, the stage the member was shown; otherwise <see cref="VipEntryStage.AccessDelivery"/>.</param>
public sealed record VipEntryCallback(VipEntryCallbackAction Action, VipEntryStage Stage);
