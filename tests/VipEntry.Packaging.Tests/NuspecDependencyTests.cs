using System.IO.Compression;
using System.Xml.Linq;

namespace VipEntry.Packaging.Tests;

/// <summary>
/// Package trust (issue 10): each packed package's .nuspec lists only the dependencies its design allows (DESIGN.md,
/// "Dependencies"). Hosting (beyond its abstractions, for the hosted channel worker), ASP.NET Core, SQLite and Npgsql
/// belong to the sample and the tests, never to a package.
/// The Telegram row is checked once src/VipEntry.Core.Telegram exists (then a missing package fails).
/// </summary>
public sealed class NuspecDependencyTests(PackedPackages packages)
{
    private static readonly string[] Abstractions =
    [
        "Microsoft.Extensions.DependencyInjection.Abstractions",
        "Microsoft.Extensions.Options",
        "Microsoft.Extensions.Logging.Abstractions",
    ];

    /// <summary>Per package: the dependencies it may have and those it must have.</summary>
    private static readonly Dictionary<string, (string[] Allowed, string[] Required)> Rules = new(StringComparer.Ordinal)
    {
        // Issue 14: the one channel worker for every transport is a hosted service in VipEntry.Core.
        // Issue 15: its health checks ("the store answers", "the channel worker completed a cycle recently") extend
        // IHealthChecksBuilder, which is in Microsoft.Extensions.Diagnostics.HealthChecks (its abstractions come with it);
        // options bound from configuration (AddVipEntry(IConfiguration)) through Options.ConfigurationExtensions.
        ["VipEntry.Core"] = (
            [.. Abstractions, "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.Diagnostics.HealthChecks", "Microsoft.Extensions.Options.ConfigurationExtensions"],
            [.. Abstractions, "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.Diagnostics.HealthChecks", "Microsoft.Extensions.Options.ConfigurationExtensions"]),
        ["VipEntry.Core.EfCore"] = (["VipEntry.Core", "Microsoft.EntityFrameworkCore.Relational"], ["VipEntry.Core", "Microsoft.EntityFrameworkCore.Relational"]),
        ["VipEntry.Core.Telegram"] = ([.. Abstractions, "VipEntry.Core", "Telegram.Bot", "Microsoft.Extensions.Hosting.Abstractions"], ["VipEntry.Core", "Telegram.Bot"]),
    };

    public static TheoryData<string> PackageIds() => [.. Rules.Keys];

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Issue10_Each_packed_nuspec_depends_only_on_what_the_design_allows(string id)
    {
        if (!PackedPackages.ProjectExists(id))
        {
            Assert.Skip($"src/{id}/{id}.csproj does not exist in this checkout; its row is checked once it does.");
        }

        var nupkg = packages.PackagePath(id);
        Assert.True(File.Exists(nupkg), $"{id}: the project exists but no package was packed at {nupkg}.\n{packages.PackOutput}");

        using var zip = ZipFile.OpenRead(nupkg);
        var entry = Assert.Single(zip.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using var stream = entry.Open();
        var nuspec = XDocument.Load(stream);
        var ns = nuspec.Root!.GetDefaultNamespace();
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal(id, metadata.Element(ns + "id")?.Value);

        var groups = metadata.Element(ns + "dependencies")?.Elements(ns + "group").ToList() ?? [];
        Assert.NotEmpty(groups);
        Assert.All(groups, g => Assert.Equal("net10.0", g.Attribute("targetFramework")?.Value));
        var dependencies = groups.SelectMany(g => g.Elements(ns + "dependency"))
            .ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")?.Value ?? "", StringComparer.Ordinal);

        var (allowed, required) = Rules[id];
        var extra = dependencies.Keys.Except(allowed, StringComparer.Ordinal).ToList();
        Assert.True(extra.Count == 0, $"{id} depends on {string.Join(", ", extra)}, which the design does not allow.");
        Assert.Subset(dependencies.Keys.ToHashSet(StringComparer.Ordinal), required.ToHashSet(StringComparer.Ordinal));

        // Our own packages depend on the very version packed with them; nothing is a floating or open-ended range.
        if (dependencies.TryGetValue("VipEntry.Core", out var coreVersion))
        {
            Assert.Equal(packages.Version, coreVersion);
        }

        Assert.All(dependencies, d => Assert.False(string.IsNullOrEmpty(d.Value) || d.Value.Contains('*', StringComparison.Ordinal), $"{d.Key} has no fixed lower bound: '{d.Value}'"));
    }

    [Fact]
    public void Issue10_Every_package_project_under_src_has_a_dependency_rule()
    {
        var root = packages.RepositoryRoot;
        var projects = Directory.GetDirectories(Path.Combine(root, "src"))
            .Select(Path.GetFileName)
            .Where(p => File.Exists(Path.Combine(root, "src", p!, p + ".csproj")))
            .ToList();

        Assert.NotEmpty(projects);
        Assert.All(projects, p => Assert.True(Rules.ContainsKey(p!), $"src/{p} has no row in {nameof(NuspecDependencyTests)}.{nameof(Rules)}"));
        Assert.All(projects, p => Assert.Contains(p, PackedPackages.Projects));
    }
}
