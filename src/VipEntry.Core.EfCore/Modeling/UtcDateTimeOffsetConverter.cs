using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace VipEntry.Core.EfCore;

/// <summary>
/// Stores a <see cref="DateTimeOffset"/> as a UTC <see cref="DateTime"/> truncated to whole microseconds (R10).
/// </summary>
/// <remarks>
/// One representation that compares correctly in SQL on every engine: PostgreSQL gets
/// <c>timestamp with time zone</c> with a UTC value (Npgsql rejects other offsets), SQLite gets fixed-format UTC
/// text that orders chronologically (its default <see cref="DateTimeOffset"/> text does not, across offsets, and
/// cannot be compared in SQL at all), SQL Server gets <c>datetime2</c>. Microseconds are what PostgreSQL keeps, so a
/// value reads back exactly as written on every engine. Values read back carry offset zero.
/// </remarks>
internal sealed class UtcDateTimeOffsetConverter : ValueConverter<DateTimeOffset, DateTime>
{
    public static readonly UtcDateTimeOffsetConverter Instance = new();

    private UtcDateTimeOffsetConverter()
        : base(v => ToUtcDateTime(v), v => FromUtcDateTime(v))
    {
    }

    /// <summary>The stored form of <paramref name="value"/>.</summary>
    public static DateTime ToUtcDateTime(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);

    /// <summary>The instant a stored value stands for.</summary>
    public static DateTimeOffset FromUtcDateTime(DateTime value) =>
        new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    /// <summary>What <paramref name="value"/> reads back as after a round trip.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset value) => FromUtcDateTime(ToUtcDateTime(value));
}
