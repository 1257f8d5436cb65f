using CsCheck;
using VipEntry.Core.EfCore.Tests.Contract;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Tests.Hostile;

namespace VipEntry.Core.EfCore.Tests.Hostile;

/// <summary>
/// Hostile input on the EF store (issue 10, R11): the redeem paths and button presses with any string reach SQLite and
/// PostgreSQL (lone surrogates, bidi marks, SQL metacharacters in links; hashes of near-miss tokens) and come back as a
/// refusal, never an exception and never a redemption; random well-formed tokens and invite links redeem nothing.
/// </summary>
public abstract class HostileRedeemTests<TBackend>(TBackend backend) : StoreTestBase<TBackend>(backend)
    where TBackend : StoreBackend
{
    /// <summary>Cases per property and backend in the short mode (docs/reliability.md); times VIPENTRY_PROPERTY_SCALE in the long mode.</summary>
    public const int Cases = 100;

    private static readonly string[] ValidCallbacks = ["vipe:1:1", "vipe:1:2", "vipe:1:n", "vipe:1:r"];

    [Fact]
    public async Task R11_Any_string_as_token_link_or_callback_data_is_refused_by_the_store_without_an_exception()
    {
        var (link1, token3, reentryLink2) = await SetUpAsync();
        string[] real = [link1, token3, reentryLink2];

        await Gen.Select(HostileInput.Any, HostileInput.NearMisses).SampleAsync(
            async (s, miss) =>
            {
                string[] candidates = [s, miss.Apply(link1), miss.Apply(token3), miss.Apply(reentryLink2)];
                foreach (var candidate in candidates.Where(c => !real.Contains(c, StringComparer.Ordinal)))
                {
                    foreach (var claimant in new long[] { 1, 2, 3, 4 })
                    {
                        AssertRefused(await Machine().RedeemTokenAsync(claimant, candidate), candidate);
                        AssertRefused(await Machine().RedeemLinkAsync(claimant, candidate), candidate);
                    }

                    if (!ValidCallbacks.Contains(candidate, StringComparer.Ordinal))
                    {
                        Assert.Equal(VipEntryOutcome.InvalidInput, (await Machine().HandleCallbackAsync(1, candidate)).Result.Outcome);
                    }
                }
            },
            iter: HostileInput.Scaled(Cases),
            threads: 1,
            print: t => $"{HostileInput.Describe(t.Item1)}, {t.Item2}");

        await AssertUntouchedThenRedeemAsync(link1, token3, reentryLink2);
    }

    [Fact]
    public async Task R6_Enumeration_random_well_formed_tokens_and_random_invite_links_never_redeem_on_the_store()
    {
        var (link1, token3, reentryLink2) = await SetUpAsync();
        string[] real = [link1, token3, reentryLink2];

        await Gen.Select(HostileInput.WellFormedToken, HostileInput.RandomInviteLink, Gen.Long[1, 4]).SampleAsync(
            async (token, link, claimant) =>
            {
                if (!real.Contains(token, StringComparer.Ordinal))
                {
                    AssertRefused(await Machine().RedeemTokenAsync(claimant, token), token);
                }

                if (!real.Contains(link, StringComparer.Ordinal))
                {
                    AssertRefused(await Machine().RedeemLinkAsync(claimant, link), link);
                }
            },
            iter: HostileInput.Scaled(Cases * 2),
            threads: 1);

        await AssertUntouchedThenRedeemAsync(link1, token3, reentryLink2);
    }

    // Member 1 at stage 3 with a recorded link; member 2 completed, holding a live re-entry link; member 3 at stage 3 with a
    // token-carrying link (the token itself); member 4 unknown.
    private async Task<(string Link1, string Token3, string ReentryLink2)> SetUpAsync()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAtStage3Async(1);
        var link1 = (await Machine().DeliverAccessAsync(1)).Access!.Link;
        await EnrollAtStage3Async(2);
        var link2 = (await Machine().DeliverAccessAsync(2)).Access!.Link;
        Assert.Equal(VipEntryOutcome.Redeemed, (await Machine().RedeemLinkAsync(2, link2)).Outcome);
        var reentry = await Machine().RequestReentryAsync(2);
        Assert.Equal(VipEntryOutcome.AccessIssued, reentry.Outcome);
        Links.Mode = TestLinkMode.CarriesToken;
        await EnrollAtStage3Async(3);
        var token3 = (await Machine().DeliverAccessAsync(3)).Access!.Link;
        return (link1, token3, reentry.Access!.Link);
    }

    private async Task AssertUntouchedThenRedeemAsync(string link1, string token3, string reentryLink2)
    {
        Assert.Equal(VipEntryStage.AccessDelivery, (await GetAsync(1)).Stage);
        Assert.Equal(VipEntryStage.Completed, (await GetAsync(2)).Stage);
        Assert.Equal(VipEntryStage.AccessDelivery, (await GetAsync(3)).Stage);
        Assert.Null(await Store().FindAsync(4));
        Assert.Equal(VipEntryOutcome.Redeemed, (await Machine().RedeemLinkAsync(1, link1)).Outcome);
        Assert.Equal(VipEntryOutcome.Readmitted, (await Machine().RedeemLinkAsync(2, reentryLink2)).Outcome);
        Assert.Equal(VipEntryOutcome.Redeemed, (await Machine().RedeemTokenAsync(3, token3)).Outcome);
    }

    private static void AssertRefused(VipEntryResult result, string candidate) =>
        Assert.True(
            result.Outcome is VipEntryOutcome.InvalidInput or VipEntryOutcome.UnknownGrant or VipEntryOutcome.AlreadyCompleted or VipEntryOutcome.NotEnrolled,
            $"{result.Outcome} for {HostileInput.Describe(candidate)}");
}

public sealed class SqliteReadyMadeHostileRedeemTests(SqliteReadyMadeBackend backend) : HostileRedeemTests<SqliteReadyMadeBackend>(backend);

public sealed class SqliteHostEntityHostileRedeemTests(SqliteLegacyBackend backend) : HostileRedeemTests<SqliteLegacyBackend>(backend);

public sealed class PostgresReadyMadeHostileRedeemTests(PostgresReadyMadeBackend backend) : HostileRedeemTests<PostgresReadyMadeBackend>(backend);

public sealed class PostgresHostEntityHostileRedeemTests(PostgresLegacyBackend backend) : HostileRedeemTests<PostgresLegacyBackend>(backend);
