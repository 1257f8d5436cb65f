using VipEntry.Core.Stages;

namespace VipEntry.Core.Tests.Stages;

public sealed class StateDiagramTests
{
    [Fact]
    public void R4_Advance_is_only_possible_from_stage_1_and_2()
    {
        Assert.True(VipEntryStateDiagram.TryGetAdvanceTarget(VipEntryStage.ActivationConfirmation, out var a));
        Assert.Equal(VipEntryStage.ExpectationAlignment, a);
        Assert.True(VipEntryStateDiagram.TryGetAdvanceTarget(VipEntryStage.ExpectationAlignment, out var b));
        Assert.Equal(VipEntryStage.AccessDelivery, b);
        Assert.False(VipEntryStateDiagram.TryGetAdvanceTarget(VipEntryStage.AccessDelivery, out _));
        Assert.False(VipEntryStateDiagram.TryGetAdvanceTarget(VipEntryStage.Completed, out _));
        Assert.False(VipEntryStateDiagram.TryGetAdvanceTarget((VipEntryStage)99, out _));
    }
}
