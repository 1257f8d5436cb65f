namespace VipEntry.QuickStart.Tests;

/// <summary>The repository's root: the folder above the tests that holds VipEntry.Core.sln.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VipEntry.Core.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No VipEntry.Core.sln above {AppContext.BaseDirectory}.");
    }
}
