namespace VipEntry.QuickStart.Tests;

/// <summary>Where a doc block's compiled copy lives: a whole file, or one <c>#region</c> of it (dedented).</summary>
internal sealed record Mirror(string Path, string? Region)
{
    public static Mirror Parse(string value)
    {
        var hash = value.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? new Mirror(value, null) : new Mirror(value[..hash], value[(hash + 1)..]);
    }

    public string Read(string root)
    {
        var file = System.IO.Path.Combine(root, Path);
        Assert.True(File.Exists(file), $"The mirror {this} does not exist.");
        var text = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Region is null)
        {
            return text.TrimEnd('\n');
        }

        var lines = text.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == "#region " + Region);
        Assert.True(start >= 0, $"{Path} has no #region {Region}.");
        var end = Array.FindIndex(lines, start, l => l.Trim() == "#endregion");
        Assert.True(end > start, $"{Path}: #region {Region} has no #endregion.");
        var indent = lines[start].Length - lines[start].TrimStart().Length;
        return string.Join('\n', lines[(start + 1)..end].Select(l => l.Trim().Length == 0 ? "" : l.Length >= indent && l[..indent].Trim().Length == 0 ? l[indent..] : l));
    }

    public override string ToString() => Region is null ? Path : $"{Path}#{Region}";
}
