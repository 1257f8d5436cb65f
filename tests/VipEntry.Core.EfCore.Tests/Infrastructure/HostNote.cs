namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>A row of the host's own work (a table of its own), written in the same transaction as ritual steps.</summary>
public sealed class HostNote
{
    public int Id { get; set; }

    public string Text { get; set; } = "";
}
