using System.IO.Compression;
using System.Xml.Linq;
using VipEntry.Telegram.Testing;

namespace VipEntry.Packaging.Tests;

public sealed class ConsumerPackageTests(PackedPackages packages)
{
    private static readonly HashSet<string> AllowedCoreDependencies =
    [
        "Microsoft.Extensions.DependencyInjection.Abstractions",
        "Microsoft.Extensions.Options",
        "Microsoft.Extensions.Logging.Abstractions",

        // Issue 14: the one channel worker for every transport is a hosted service in VipEntry.Core.
        "Microsoft.Extensions.Hosting.Abstractions",

        // Issue 15: health checks (AddVipEntryChecks extends IHealthChecksBuilder, in the full package).
        "Microsoft.Extensions.Diagnostics.HealthChecks",
        // issue 15: options bound from configuration (AddVipEntry(IConfiguration)) through Options.ConfigurationExtensions.
        "Microsoft.Extensions.Options.ConfigurationExtensions",
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
    public async Task Packed_telegram_package_installs_into_a_fresh_project_whose_updates_run_the_whole_ritual_against_a_fake_Bot_API()
    {
        await using var api = new FakeBotApiServer();
        var dir = Directory.CreateTempSubdirectory("vipentry-telegram-consumer-");
        try
        {
            var template = Path.Combine(AppContext.BaseDirectory, "TelegramConsumer");
            File.WriteAllText(Path.Combine(dir.FullName, "Program.cs"), File.ReadAllText(Path.Combine(template, "Program.cs.txt")));
            File.WriteAllText(Path.Combine(dir.FullName, "Consumer.csproj"), File.ReadAllText(Path.Combine(template, "Consumer.csproj.txt")).Replace("$VERSION$", packages.Version, StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(dir.FullName, "nuget.config"), File.ReadAllText(Path.Combine(template, "nuget.config.txt")).Replace("$FEED$", packages.Feed, StringComparison.Ordinal));
            var environment = new Dictionary<string, string> { ["VIPENTRY_BOT_API"] = api.BaseUrl, ["VIPENTRY_BOT_TOKEN"] = FakeBotApiServer.Token };

            var (exit, output) = await DotnetCli.RunAsync(dir.FullName, TimeSpan.FromMinutes(5), environment, "run", "--project", "Consumer.csproj");

            Assert.True(exit == 0, output + "\n" + api.Describe());
            foreach (var line in (string[])["activate:Started", "press1:True", "press2:True", "forwarded:True", "join:True", "hosts:False", "end:SubscriptionEnded", "lapses:1", "status:Handled"])
            {
                Assert.Contains(line, output, StringComparison.Ordinal);
            }

            // What Telegram saw: stage prompts, both presses answered, one join-request link for the member, the forwarded
            // link declined, the member approved and the link revoked, then the lapse: ban, unban only if banned, told why.
            Assert.Equal(2, api.Calls("answerCallbackQuery").Count);
            var invite = Assert.Single(api.Calls("createChatInviteLink"));
            Assert.True(invite.Bool("creates_join_request"));
            Assert.Contains("link:https://t.me/+FAKEINVITE", output, StringComparison.Ordinal);
            Assert.Equal(7, Assert.Single(api.Calls("declineChatJoinRequest")).Number("user_id"));
            Assert.Equal(42, Assert.Single(api.Calls("approveChatJoinRequest")).Number("user_id"));
            Assert.Contains(api.Calls("revokeChatInviteLink"), c => output.Contains("link:" + c.Text("invite_link"), StringComparison.Ordinal));
            Assert.Equal(42, Assert.Single(api.Calls("banChatMember")).Number("user_id"));
            Assert.True(Assert.Single(api.Calls("unbanChatMember")).Bool("only_if_banned"));
            Assert.Contains(api.Calls("sendMessage"), c => c.Number("chat_id") == 42 && c.Text("text")!.Contains("was removed", StringComparison.Ordinal));
            Assert.Contains(api.Calls("sendMessage"), c => c.Number("chat_id") == 42 && c.Urls.Count == 1);
            Assert.Empty(api.Calls("getUpdates"));
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

    [Fact]
    public void Packed_telegram_package_has_readme_xml_docs_symbols_and_depends_only_on_core_telegram_bot_and_hosting_abstractions()
    {
        var (_, metadata, ns) = OpenPackage("VipEntry.Core.Telegram");

        var dependencies = metadata.Descendants(ns + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);
        Assert.Equal(["Microsoft.Extensions.Hosting.Abstractions", "Telegram.Bot", "VipEntry.Core"], dependencies.Keys.Order(StringComparer.Ordinal));
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
