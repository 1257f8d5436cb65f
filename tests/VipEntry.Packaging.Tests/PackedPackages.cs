// One packing per test run, shared by every test class (two class fixtures packed the same projects at once, with the
// same version stamp, and raced in package validation).
[assembly: AssemblyFixture(typeof(VipEntry.Packaging.Tests.PackedPackages))]

namespace VipEntry.Packaging.Tests;

/// <summary>
/// Packs the libraries once per test run into the repository's local folder feed (artifacts/packages)
/// under a unique pre-release version, so a cached older package can never be picked up; removes them afterwards.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    /// <summary>Every package project of the repository; the Telegram package is packed once its project exists.</summary>
    public static readonly string[] Projects = [.. new[] { "VipEntry.Core", "VipEntry.Core.EfCore", "VipEntry.Core.Telegram" }.Where(ProjectExists)];

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public string Feed => Path.Combine(RepositoryRoot, "artifacts", "packages");

    public string Version { get; } = $"0.0.0-consumer.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    public string PackOutput { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        var log = new System.Text.StringBuilder();
        foreach (var project in Projects)
        {
            var (exit, output) = await DotnetCli.RunAsync(
                RepositoryRoot,
                TimeSpan.FromMinutes(5),
                "pack", Path.Combine("src", project, project + ".csproj"), "-c", "Release", "-o", Feed, $"-p:Version={Version}");
            log.AppendLine(output);
            if (exit != 0)
            {
                throw new InvalidOperationException($"dotnet pack {project} failed ({exit}):\n{output}");
            }
        }

        PackOutput = log.ToString();
    }

    public string PackagePath(string id, string extension = "nupkg") => Path.Combine(Feed, $"{id}.{Version}.{extension}");

    public ValueTask DisposeAsync()
    {
        foreach (var project in Projects)
        {
            File.Delete(PackagePath(project));
            File.Delete(PackagePath(project, "snupkg"));
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Whether <c>src/{project}/{project}.csproj</c> exists in this checkout.</summary>
    public static bool ProjectExists(string project) =>
        File.Exists(Path.Combine(FindRepositoryRoot(), "src", project, project + ".csproj"));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VipEntry.Core.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("VipEntry.Core.sln not found above " + AppContext.BaseDirectory);
    }
}
