using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Tests.Support;

namespace VipEntry.Core.Telegram.Tests.Faults;

/// <summary>
/// Issue 10, transport faults: every Bot API call each step makes (<see cref="FaultScenarios"/>) fails in turn with each
/// <see cref="BotApiFault"/>. The step returns (no exception); nobody but the owner is admitted; a completed member who is
/// outside can ask for re-entry at once; a confirmed lapse's work really happened. Then, with the transport healthy, the
/// member gets in by pressing what the bot sent (or <c>/start</c>), or the worker, after the lease, finishes the owed work.
/// The theories are split over classes so they run in parallel.
/// </summary>
public abstract class TransportFaultTests
{
    public static TheoryData<string, string, BotApiFault, TestStore> Matrix(TestStore[] stores, params string[] scenarios)
    {
        var data = new TheoryData<string, string, BotApiFault, TestStore>();
        foreach (var scenario in scenarios.Select(FaultScenarios.Named))
        {
            foreach (var method in scenario.Methods)
            {
                foreach (var fault in Enum.GetValues<BotApiFault>())
                {
                    foreach (var store in stores)
                    {
                        data.Add(scenario.Name, method, fault, store);
                    }
                }
            }
        }

        return data;
    }

    protected static async Task RunAsync(string scenarioName, string method, BotApiFault fault, TestStore store)
    {
        var scenario = FaultScenarios.Named(scenarioName);
        await using var host = new TelegramTestHost(vipEntry: scenario.VipEntry, httpTimeout: FaultInjector.HttpTimeout, storeKind: store);
        host.Api.TrackMembership = true;
        var link = await scenario.ArrangeAsync(host);
        var before = host.Api.LastSequence;

        await FaultInjector.DuringAsync(host, method, fault, () => scenario.ActAsync(host, link));

        Assert.True(host.Api.Calls(method).Any(c => c.Sequence > before), $"The step never called {method}:\n{host.Api.Describe()}");
        await AssertInvariantsAsync(host, scenario, link);
        await scenario.RecoverAsync(host, link);
        await AssertInvariantsAsync(host, scenario, link);
    }

    private static async Task AssertInvariantsAsync(TelegramTestHost host, FaultScenario scenario, string? link)
    {
        // Nobody but the owner is ever admitted.
        Assert.All(host.Api.Succeeded("approveChatJoinRequest"), c => Assert.Equal(FaultScenarios.Member, c.Number("user_id")));
        var status = await host.StatusAsync(FaultScenarios.Member);

        // A confirmed lapse is work really done (the worker confirms nothing it did not do).
        if (status.Lapse == VipEntry.Core.Results.VipEntryLapseState.Handled)
        {
            FaultScenarios.AssertLapseWorkDone(host, link, status);
        }

        // A paid-up completed member who is outside the chat is offered re-entry right away (R16).
        if (status.IsEntitled && host.Api.ChatMemberStatus(FaultScenarios.Member) != "member" && status.Stage == VipEntryStage.Completed)
        {
            await FaultScenarios.StartAsync(host);
            var offer = FaultScenarios.Last(host);
            Assert.True(offer.CallbackData.Contains("vipe:1:r") || offer.Urls.Count > 0, $"{scenario}: completed, outside, and offered no way back: {offer}");
        }
    }
}
