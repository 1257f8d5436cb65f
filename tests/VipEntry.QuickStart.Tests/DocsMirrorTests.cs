using System.Text.RegularExpressions;

namespace VipEntry.QuickStart.Tests;

/// <summary>
/// Issue 15: the docs cannot drift from the code. Every C# block of README.md, every page under docs/ and the three package
/// READMEs is preceded by <c>&lt;!-- mirror: path[#region] --&gt;</c> and equals that file (or that <c>#region</c> of it, dedented)
/// under samples/, which CI compiles with the solution. A block without a mirror, or one that differs from it, fails here.
/// </summary>
public sealed partial class DocsMirrorTests
{
    // Every document a host reads: the root README, each page under docs/ (a new page is covered the day it is added) and
    // the package READMEs.
    public static TheoryData<string> Documents() =>
        new(["README.md", .. DocsPages(), "src/VipEntry.Core/README.md", "src/VipEntry.Core.EfCore/README.md", "src/VipEntry.Core.Telegram/README.md"]);

    private static IEnumerable<string> DocsPages() =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, "docs"), "*.md", SearchOption.TopDirectoryOnly)
            .Select(f => "docs/" + Path.GetFileName(f))
            .Order(StringComparer.Ordinal);

    private static readonly string[] MirrorProjects = ["samples/VipEntry.QuickStart.Polling", "samples/VipEntry.QuickStart.Webhook", "samples/VipEntry.DocSnippets"];

    [Theory]
    [MemberData(nameof(Documents))]
    public void Issue15_Every_CSharp_block_of_the_docs_has_a_compiled_mirror(string document)
    {
        var blocks = DocBlock.Read(Repository.Root, document);
        var csharp = blocks.Where(b => b.Language == "csharp").ToList();
        var unmirrored = csharp.Where(b => b.Mirror is null).ToList();
        Assert.True(unmirrored.Count == 0,
            $"{document}: C# blocks without a <!-- mirror: ... --> line before them (so no compiled copy):\n"
            + string.Join("\n---\n", unmirrored.Select(b => $"line {b.Line}:\n{b.Text}")));
        Assert.All(csharp, b => Assert.True(MirrorProjects.Any(p => b.Mirror!.Path.StartsWith(p + "/", StringComparison.Ordinal)),
            $"{document} line {b.Line}: its mirror {b.Mirror!.Path} is not in a project the solution builds ({string.Join(", ", MirrorProjects)})."));
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/telegram.md")]
    [InlineData("docs/channel-port.md")]
    [InlineData("docs/migrating-an-existing-bot.md")]
    [InlineData("docs/payments.md")]
    [InlineData("src/VipEntry.Core/README.md")]
    [InlineData("src/VipEntry.Core.EfCore/README.md")]
    [InlineData("src/VipEntry.Core.Telegram/README.md")]
    public void Issue15_The_documents_that_show_code_are_read_with_their_CSharp_blocks(string document)
    {
        // Pages without code (the behaviour rules) pass the two tests above trivially; these must not.
        Assert.Contains(document, Documents().Select(d => (string)d.Data));
        Assert.Contains(DocBlock.Read(Repository.Root, document), b => b.Language == "csharp" && b.Mirror is not null);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Issue15_Every_mirrored_block_equals_its_file(string document)
    {
        foreach (var block in DocBlock.Read(Repository.Root, document).Where(b => b.Mirror is not null))
        {
            var expected = block.Mirror!.Read(Repository.Root);
            if (expected != block.Text)
            {
                Assert.Fail($"{document} line {block.Line} differs from {block.Mirror}: make them equal (the file is what CI compiles).\n"
                    + $"--- doc\n{block.Text}\n--- {block.Mirror}\n{expected}");
            }
        }
    }

    [Fact]
    public void Issue15_The_quick_starts_are_the_docs_and_nothing_more_and_the_solution_builds_them()
    {
        var mirrored = Documents().Select(d => (string)d.Data)
            .SelectMany(d => DocBlock.Read(Repository.Root, d))
            .Where(b => b.Mirror is { Region: null })
            .Select(b => b.Mirror!.Path)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var project in MirrorProjects.Take(2))
        {
            var files = Directory.EnumerateFiles(Path.Combine(Repository.Root, project), "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
                .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal) && !f.EndsWith(".csproj", StringComparison.Ordinal))
                .ToList();
            Assert.NotEmpty(files);
            Assert.All(files, f => Assert.True(mirrored.Contains(f), $"{f} is in a quick-start but shown in no doc block: the quick-start is the docs' bot, nothing more."));
        }

        var solution = File.ReadAllText(Path.Combine(Repository.Root, "VipEntry.Core.sln")).Replace('\\', '/');
        Assert.All(MirrorProjects, p => Assert.Contains($"{p}/{Path.GetFileName(p)}.csproj", solution, StringComparison.Ordinal));
    }

    [Fact]
    public void Issue15_The_readme_registers_only_types_that_exist()
    {
        // Issue 15, point 5: README.md registered .UseLinkIssuer<TelegramInviteLinkIssuer>(), a type of no package. Its blocks
        // are compiled now (above); this names the regression.
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        Assert.DoesNotContain("TelegramInviteLinkIssuer", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project samples/VipEntry.SampleBot\n", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet test VipEntry.Core.sln\n", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue15_Telegram_docs_show_the_id_overloads_and_no_wrong_configuration_key()
    {
        foreach (var document in (string[])["docs/telegram.md", "src/VipEntry.Core.Telegram/README.md"])
        {
            var text = File.ReadAllText(Path.Combine(Repository.Root, document));
            Assert.Contains("await vip.ActivateAsync(userId, paidUntil, cancellationToken: ct);", text, StringComparison.Ordinal);
            Assert.Contains("await vip.ShowStepAsync(userId, cancellationToken: ct);", text, StringComparison.Ordinal);
            Assert.DoesNotContain("(bot, ex, source, ct)", text, StringComparison.Ordinal);
            Assert.DoesNotContain("StartReceiving", text, StringComparison.Ordinal);
        }

        // docs/telegram.md said texts fall back to VipEntry__DefaultCulture, which only a host that binds the section reads.
        var telegram = File.ReadAllText(Path.Combine(Repository.Root, "docs/telegram.md"));
        Assert.DoesNotMatch(SaysDefaultCultureIsReadByItself(), telegram);
        Assert.Contains("AddVipEntry(configuration.GetSection(\"VipEntry\"))", telegram, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"else `VipEntry__DefaultCulture`")]
    private static partial Regex SaysDefaultCultureIsReadByItself();
}
