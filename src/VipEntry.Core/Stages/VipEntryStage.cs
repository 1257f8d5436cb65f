namespace VipEntry.Core.Stages;

/// <summary>
/// Where a subscriber is in the VIP entry ritual.
/// </summary>
/// <remarks>
/// The numeric values of the three ritual stages are the values stored in the database.
/// <see cref="Completed"/> is stored as <c>NULL</c> by the EF Core store (the original bot's schema);
/// in this API it is a value of its own so that <c>null</c> never means two things.
/// </remarks>
public enum VipEntryStage
{
    /// <summary>The subscriber is not known to the ritual (never activated).</summary>
    NotEnrolled = 0,

    /// <summary>Stage 1: "your access is being prepared"; the member confirms.</summary>
    ActivationConfirmation = 1,

    /// <summary>Stage 2: "this is what the space is, and what it asks of you"; the member agrees.</summary>
    ExpectationAlignment = 2,

    /// <summary>Stage 3: a personal, one-time access link is delivered; the member joins with it.</summary>
    AccessDelivery = 3,

    /// <summary>The ritual is done and access was granted.</summary>
    Completed = 4,
}
