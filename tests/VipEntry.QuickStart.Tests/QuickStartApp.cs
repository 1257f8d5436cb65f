namespace VipEntry.QuickStart.Tests;

/// <summary>Where a quick-start's build output is: its own bin folder, in the configuration the tests were built in.</summary>
internal static class QuickStartApp
{
    public static string Dll(string project)
    {
        // AppContext.BaseDirectory is …/tests/VipEntry.QuickStart.Tests/bin/<configuration>/<framework>/.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var dll = Path.Combine(Repository.Root, "samples", project, "bin", configuration, framework.Name, project + ".dll");
        Assert.True(File.Exists(dll), $"{dll} was not built (the test project references it, so building the tests builds it).");
        return dll;
    }
}
