namespace VipEntry.QuickStart.Tests;

/// <summary>A fenced code block of a Markdown document, with the mirror named on the line before it, if any.</summary>
internal sealed record DocBlock(int Line, string Language, string Text, Mirror? Mirror)
{
    private const string MirrorPrefix = "<!-- mirror: ";

    public static IReadOnlyList<DocBlock> Read(string root, string document)
    {
        var lines = File.ReadAllText(Path.Combine(root, document)).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<DocBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            var open = lines[i].TrimStart();
            if (!open.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var indent = lines[i].Length - open.Length;
            var language = open[3..].Trim();
            var end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            Assert.True(end > i, $"{document} line {i + 1}: a code block that never closes.");
            var text = string.Join('\n', lines[(i + 1)..end].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
            var before = i > 0 ? lines[i - 1].Trim() : "";
            var mirror = before.StartsWith(MirrorPrefix, StringComparison.Ordinal) && before.EndsWith("-->", StringComparison.Ordinal)
                ? Mirror.Parse(before[MirrorPrefix.Length..^3].Trim())
                : null;
            blocks.Add(new DocBlock(i + 1, language, text, mirror));
            i = end;
        }

        return blocks;
    }
}
