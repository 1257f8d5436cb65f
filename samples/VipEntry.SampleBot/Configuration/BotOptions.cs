namespace VipEntry.SampleBot.Configuration;

/// <summary>The <c>Bot</c> section: settings of the sample itself, for both transports.</summary>
public sealed class BotOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Bot";

    /// <summary>How often lapsed subscriptions are swept (<c>Bot__SweepInterval</c>). Default one minute.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Webhook mode: how long a replica holds an update it is processing (<c>Bot__UpdateLease</c>) before another replica
    /// may take it over (the holder died). Default one minute; longer than the slowest update, 429 waits included.
    /// </summary>
    public TimeSpan UpdateLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The user id of the person at the keyboard in terminal mode (admin and member at once).</summary>
    public long TerminalUserId { get; set; } = 1000;
}
