using VipEntry.Core.Stages;

namespace VipEntry.Core.Results;

/// <summary>How many active subscribers are at each stage (R15).</summary>
/// <param name="ActivationConfirmation">At stage 1.</param>
/// <param name="ExpectationAlignment">At stage 2.</param>
/// <param name="AccessDelivery">At stage 3.</param>
/// <param name="Completed">Done.</param>
public sealed record VipEntryFunnel(int ActivationConfirmation, int ExpectationAlignment, int AccessDelivery, int Completed)
{
    /// <summary>All active subscribers.</summary>
    public int Total => ActivationConfirmation + ExpectationAlignment + AccessDelivery + Completed;

    /// <summary>The count at one stage.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>The count (0 for <see cref="VipEntryStage.NotEnrolled"/>).</returns>
    public int this[VipEntryStage stage] => stage switch
    {
        VipEntryStage.ActivationConfirmation => ActivationConfirmation,
        VipEntryStage.ExpectationAlignment => ExpectationAlignment,
        VipEntryStage.AccessDelivery => AccessDelivery,
        VipEntryStage.Completed => Completed,
        _ => 0,
    };
}
