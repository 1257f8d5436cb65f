namespace VipEntry.Core.EfCore;

/// <summary>Names of the annotations that mark an entity type as carrying the ritual; the store reads them from <c>context.Model</c>.</summary>
internal static class VipEntryAnnotations
{
    /// <summary>On the entity type: the name of the subscriber id property.</summary>
    public const string SubscriberIdProperty = "VipEntry:SubscriberIdProperty";

    /// <summary>On the entity type: the name of the subscription end property.</summary>
    public const string SubscriptionEndProperty = "VipEntry:SubscriptionEndProperty";

    /// <summary>On the entity type, only when <see cref="VipEntryModelOptions.PrepareStatements"/> is off: <see langword="false"/>.</summary>
    public const string PrepareStatements = "VipEntry:PrepareStatements";

    /// <summary>On the channel table's entity type (R19): <see langword="true"/>.</summary>
    public const string ChannelFacts = "VipEntry:ChannelFacts";

    /// <summary>On the update claims table's entity type: <see langword="true"/>.</summary>
    public const string UpdateClaims = "VipEntry:UpdateClaims";

    /// <summary>On the payments table's entity type: <see langword="true"/>.</summary>
    public const string Payments = "VipEntry:Payments";
}
