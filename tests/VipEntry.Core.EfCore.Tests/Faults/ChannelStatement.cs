namespace VipEntry.Core.EfCore.Tests.Faults;

/// <summary>One statement of the EF channel store (R19), as the fault matrix targets it.</summary>
public enum ChannelStatement
{
    /// <summary><c>RecordInsideAsync</c>'s <c>UPDATE</c> of an existing record.</summary>
    RecordInsideUpdate,

    /// <summary><c>RecordInsideAsync</c>'s <c>INSERT</c> of a new record.</summary>
    RecordInsideInsert,

    /// <summary><c>RecordOutsideAsync</c>'s <c>UPDATE</c>.</summary>
    RecordOutside,

    /// <summary><c>OweRevocationsAsync</c>'s read of the links and version.</summary>
    OweRevocationsRead,

    /// <summary><c>OweRevocationsAsync</c>'s <c>INSERT</c> of a new record.</summary>
    OweRevocationsInsert,

    /// <summary><c>OweRevocationsAsync</c>'s compare-and-set <c>UPDATE</c> on the version.</summary>
    OweRevocationsSet,

    /// <summary><c>MarkDueAsync</c>'s <c>UPDATE</c>.</summary>
    MarkDue,

    /// <summary><c>ListDueAsync</c>'s read.</summary>
    ListDue,

    /// <summary><c>TryClaimAsync</c>'s <c>UPDATE</c>.</summary>
    TryClaim,

    /// <summary><c>TryRecordBanAsync</c>'s <c>UPDATE</c>.</summary>
    TryRecordBan,

    /// <summary><c>TrySettleAsync</c>'s <c>UPDATE</c>.</summary>
    TrySettle,

    /// <summary><c>ReleaseAsync</c>'s <c>UPDATE</c>.</summary>
    Release,
}
