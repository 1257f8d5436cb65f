using System.Collections.Immutable;
using System.Text;

namespace VipEntry.Core.Stages;

/// <summary>
/// The ritual as data: the explicit transition table every component consults, and its Mermaid export.
/// </summary>
public static class VipEntryStateDiagram
{
    private const string Active = "subscription active";

    /// <summary>Every permitted transition, in diagram order.</summary>
    public static ImmutableArray<VipEntryTransition> Transitions { get; } =
    [
        new(VipEntryStage.NotEnrolled, VipEntryTrigger.Activate, VipEntryStage.ActivationConfirmation, Active),
        new(VipEntryStage.ActivationConfirmation, VipEntryTrigger.Advance, VipEntryStage.ExpectationAlignment, Active + " and member was shown stage 1"),
        new(VipEntryStage.ExpectationAlignment, VipEntryTrigger.Advance, VipEntryStage.AccessDelivery, Active + " and member was shown stage 2"),
        new(VipEntryStage.AccessDelivery, VipEntryTrigger.Redeem, VipEntryStage.Completed, Active + ", grant bound to claimant and not expired"),
        new(VipEntryStage.ActivationConfirmation, VipEntryTrigger.Renew, VipEntryStage.ActivationConfirmation, "renewal restarts the ritual"),
        new(VipEntryStage.ExpectationAlignment, VipEntryTrigger.Renew, VipEntryStage.ActivationConfirmation, "renewal restarts the ritual"),
        new(VipEntryStage.AccessDelivery, VipEntryTrigger.Renew, VipEntryStage.ActivationConfirmation, "renewal restarts the ritual; live grant revoked"),
        new(VipEntryStage.Completed, VipEntryTrigger.Renew, VipEntryStage.Completed, "subscription still active"),
        new(VipEntryStage.Completed, VipEntryTrigger.Renew, VipEntryStage.ActivationConfirmation, "subscription had lapsed"),
        new(VipEntryStage.ActivationConfirmation, VipEntryTrigger.AdministrativeSkip, VipEntryStage.Completed, "logged administrative skip"),
        new(VipEntryStage.ExpectationAlignment, VipEntryTrigger.AdministrativeSkip, VipEntryStage.Completed, "logged administrative skip"),
        new(VipEntryStage.AccessDelivery, VipEntryTrigger.AdministrativeSkip, VipEntryStage.Completed, "logged administrative skip"),
        new(VipEntryStage.Completed, VipEntryTrigger.Reenter, VipEntryStage.Completed, Active + ", re-entry grant bound to claimant and not expired"),
    ];

    /// <summary>The stage an <see cref="VipEntryTrigger.Advance"/> from <paramref name="from"/> leads to.</summary>
    /// <param name="from">The stage the member was shown.</param>
    /// <param name="to">The next stage, when the advance is permitted.</param>
    /// <returns><see langword="true"/> only for stage 1 → 2 and stage 2 → 3 (R3, R4).</returns>
    public static bool TryGetAdvanceTarget(VipEntryStage from, out VipEntryStage to)
    {
        foreach (var t in Transitions)
        {
            if (t.From == from && t.Trigger == VipEntryTrigger.Advance)
            {
                to = t.To;
                return true;
            }
        }

        to = from;
        return false;
    }

    /// <summary>Whether the table has any edge from <paramref name="from"/> to <paramref name="to"/> on <paramref name="trigger"/>.</summary>
    /// <param name="from">The current stage.</param>
    /// <param name="trigger">The trigger.</param>
    /// <param name="to">The target stage.</param>
    /// <returns><see langword="true"/> when the transition is in the table.</returns>
    public static bool IsPermitted(VipEntryStage from, VipEntryTrigger trigger, VipEntryStage to)
    {
        foreach (var t in Transitions)
        {
            if (t.From == from && t.Trigger == trigger && t.To == to)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Exports the ritual's state diagram as a Mermaid <c>stateDiagram-v2</c>.</summary>
    /// <returns>The diagram text, with <c>\n</c> line endings.</returns>
    public static string ToMermaid()
    {
        var sb = new StringBuilder();
        sb.Append("stateDiagram-v2\n");
        sb.Append("    [*] --> NotEnrolled\n");
        foreach (var t in Transitions)
        {
            sb.Append("    ").Append(t.From).Append(" --> ").Append(t.To)
              .Append(" : ").Append(t.Trigger).Append(" [").Append(t.Guard).Append("]\n");
        }

        sb.Append("    Completed --> [*]\n");
        return sb.ToString();
    }
}
