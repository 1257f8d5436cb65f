namespace VipEntry.Core.EfCore.Tests.Faults;

/// <summary>The engine or worker operation a channel-store fault is injected into.</summary>
public enum ChannelScenario
{
    /// <summary>A member at stage 3 redeems their link; the transport admits them on <c>Redeemed</c>, then works their record.</summary>
    Redeem,

    /// <summary>Someone with no subscription joins; the transport reports them inside and works their record at once.</summary>
    ReportIntruder,

    /// <summary>A completed member inside leaves; the transport reports them outside.</summary>
    ReportOutside,

    /// <summary>A member at stage 3 whose link expired twice asks for a new one the second time (the first replacement created the record).</summary>
    Reissue,

    /// <summary>A completed member inside has their subscription ended.</summary>
    EndSubscription,

    /// <summary>A worker cycle after a completed member's subscription ended: the removal is owed.</summary>
    WorkerRemoval,

    /// <summary>As <see cref="WorkerRemoval"/>, but the member renews while the worker removes them: the settlement loses and the claim is released.</summary>
    WorkerSettlementLost,
}
