using VipEntry.Core.Stages;

namespace VipEntry.Core.Tests.Stages;

public sealed class MermaidExportTests
{
    [Fact]
    public void R15_The_state_diagram_exports_as_this_exact_Mermaid_text()
    {
        const string expected =
            "stateDiagram-v2\n" +
            "    [*] --> NotEnrolled\n" +
            "    NotEnrolled --> ActivationConfirmation : Activate [subscription active]\n" +
            "    ActivationConfirmation --> ExpectationAlignment : Advance [subscription active and member was shown stage 1]\n" +
            "    ExpectationAlignment --> AccessDelivery : Advance [subscription active and member was shown stage 2]\n" +
            "    AccessDelivery --> Completed : Redeem [subscription active, grant bound to claimant and not expired]\n" +
            "    ActivationConfirmation --> ActivationConfirmation : Renew [renewal restarts the ritual]\n" +
            "    ExpectationAlignment --> ActivationConfirmation : Renew [renewal restarts the ritual]\n" +
            "    AccessDelivery --> ActivationConfirmation : Renew [renewal restarts the ritual; live grant revoked]\n" +
            "    Completed --> Completed : Renew [subscription still active]\n" +
            "    Completed --> ActivationConfirmation : Renew [subscription had lapsed]\n" +
            "    ActivationConfirmation --> Completed : AdministrativeSkip [logged administrative skip]\n" +
            "    ExpectationAlignment --> Completed : AdministrativeSkip [logged administrative skip]\n" +
            "    AccessDelivery --> Completed : AdministrativeSkip [logged administrative skip]\n" +
            "    Completed --> Completed : Reenter [subscription active, re-entry grant bound to claimant and not expired]\n" +
            "    Completed --> [*]\n";

        Assert.Equal(expected, VipEntryStateDiagram.ToMermaid());
    }

    [Fact]
    public void R4_Only_an_administrative_skip_reaches_completion_without_redemption_from_stage_3()
    {
        foreach (var t in VipEntryStateDiagram.Transitions.Where(t => t.To == VipEntryStage.Completed && t.From != VipEntryStage.Completed))
        {
            Assert.True(t.Trigger == VipEntryTrigger.AdministrativeSkip || (t.Trigger == VipEntryTrigger.Redeem && t.From == VipEntryStage.AccessDelivery), t.ToString());
        }

        Assert.All(
            VipEntryStateDiagram.Transitions.Where(t => t.Trigger == VipEntryTrigger.Advance),
            t => Assert.Equal((int)t.From + 1, (int)t.To));
        Assert.False(VipEntryStateDiagram.IsPermitted(VipEntryStage.ActivationConfirmation, VipEntryTrigger.Advance, VipEntryStage.AccessDelivery));
        Assert.False(VipEntryStateDiagram.IsPermitted(VipEntryStage.ExpectationAlignment, VipEntryTrigger.Redeem, VipEntryStage.Completed));
    }
}
