using System.IO.Compression;
using System.Xml.Linq;

namespace VipEntry.Packaging.Tests;

public sealed class ConsumerPackageTests(PackedPackages packages)
{
    private static readonly HashSet<string> AllowedCoreDependencies =
    [
        "Microsoft.Extensions.DependencyInjection.Abstractions",
        "Microsoft.Extensions.Options",
        "Microsoft.Extensions.Logging.Abstractions",
    ];

    [Fact]
    public async Task Packed_packages_install_from_the_local_feed_into_a_fresh_project_and_run_a_ritual_on_SQLite()
    {
        var dir = Directory.CreateTempSubdirectory("vipentry-consumer-");
        try
        {
            var template = Path.Combine(AppContext.BaseDirectory, "Consumer");
            File.WriteAllText(Path.Combine(dir.FullName, "Program.cs"), File.ReadAllText(Path.Combine(template, "Program.cs.txt")));
            File.WriteAllText(Path.Combine(dir.FullName, "Consumer.csproj"), File.ReadAllText(Path.Combine(template, "Consumer.csproj.txt")).Replace("$VERSION$", packages.Version, StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(dir.FullName, "nuget.config"), File.ReadAllText(Path.Combine(template, "nuget.config.txt")).Replace("$FEED$", packages.Feed, StringComparison.Ordinal));

            var (exit, output) = await DotnetCli.RunAsync(dir.FullName, TimeSpan.FromMinutes(5), "run", "--project", "Consumer.csproj");

            Assert.True(exit == 0, output);
            Assert.Contains("activate:Started", output);
            Assert.Contains("advance1:Advanced", output);
            Assert.Contains("advance1again:StaleStage", output);
            Assert.Contains("advance2:Advanced", output);
            Assert.Contains("deliver:AccessIssued:https://t.me/+consumer42", output);
            Assert.Contains("forwarded:Refused", output);
            Assert.Contains("redeem:Redeemed", output);
            Assert.Contains("redeemagain:AlreadyCompleted", output);
            Assert.Contains("funnel:1/1", output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Packed_core_has_readme_xml_docs_symbols_source_link_and_only_the_allowed_dependencies()
    {
        var (names, metadata, ns) = OpenPackage("VipEntry.Core");
        Assert.Contains("lib/net10.0/VipEntry.Core.dll", names);
        Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);

        // Source Link: the SDK records the repository and the commit the package was built from.
        var repository = metadata.Element(ns + "repository");
        Assert.NotNull(repository);
        Assert.Matches("^[0-9a-f]{40}$", repository!.Attribute("commit")?.Value ?? "");

        var dependencies = metadata.Descendants(ns + "dependency").Select(d => d.Attribute("id")!.Value).ToHashSet();
        Assert.NotEmpty(dependencies);
        Assert.Subset(AllowedCoreDependencies, dependencies);
    }

    [Fact]
    public void Packed_efcore_package_has_readme_xml_docs_symbols_sql_scripts_and_depends_only_on_core_and_ef_relational()
    {
        var (names, metadata, ns) = OpenPackage("VipEntry.Core.EfCore");
        Assert.Contains(names, n => n.StartsWith("sql/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal));

        var dependencies = metadata.Descendants(ns + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);
        Assert.Equal(["Microsoft.EntityFrameworkCore.Relational", "VipEntry.Core"], dependencies.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(packages.Version, dependencies["VipEntry.Core"]);
    }

    // Every package: the .nupkg and its .snupkg exist, and it carries README.md and the XML docs. Returns its file
    // names and nuspec metadata for the package's own checks.
    private (List<string> Names, XElement Metadata, XNamespace Ns) OpenPackage(string id)
    {
        var nupkg = packages.PackagePath(id);
        Assert.True(File.Exists(nupkg), packages.PackOutput);
        Assert.True(File.Exists(packages.PackagePath(id, "snupkg")), "symbols package (snupkg) missing");

        using var zip = ZipFile.OpenRead(nupkg);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("README.md", names);
        Assert.Contains($"lib/net10.0/{id}.xml", names);

        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var nuspec = XDocument.Load(stream);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        return (names, nuspec.Root.Element(ns + "metadata")!, ns);
    }
}
