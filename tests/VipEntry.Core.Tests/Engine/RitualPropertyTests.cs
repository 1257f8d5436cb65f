using CsCheck;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;
using VipEntry.Core.Tokens;

namespace VipEntry.Core.Tests.Engine;

/// <summary>
/// Random sequences of member, host and clock operations run against the engine and a small reference
/// model of DESIGN.md; after every step the stored state must equal the model and the invariants must hold.
/// </summary>
public sealed class RitualPropertyTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    private static readonly TimeSpan Cooldown = TimeSpan.FromMinutes(5);
    private static readonly int[] JumpMinutes = [1, 4, 6, 59, 600, 1439, 1441, 4320, 20_000];

    public abstract record Op;

    public sealed record Activate(int Sub, int Hours) : Op;

    public sealed record Advance(int Sub, int From) : Op;

    public sealed record Press(int Sub, int From) : Op;

    public sealed record Deliver(int Sub) : Op;

    public sealed record ShowStep(int Sub) : Op;

    public sealed record Reissue(int Sub) : Op;

    /// <summary>Which: 0 the owner's current token, 1 one of the owner's older tokens, 2 a well-formed stranger, 3 garbage.</summary>
    public sealed record RedeemToken(int Claimant, int Owner, int Which) : Op;

    /// <summary>Which: 0 the owner's current link, 1 one of the owner's older links, 2 an unknown link.</summary>
    public sealed record RedeemLink(int Claimant, int Owner, int Which) : Op;

    public sealed record Jump(int Minutes) : Op;

    public sealed record Sweep : Op;

    public sealed record Skip(int Sub) : Op;

    // Two subscribers and biased choices, so that sequences often reach stage 3, issue, expire and redeem.
    private static readonly Gen<int> Sub = Gen.Int[1, 2];

    private static readonly Gen<int> From = Gen.Frequency((8, Gen.Int[1, 2]), (1, Gen.Int[0, 4]));

    // Mostly the owner; sometimes the other subscriber (a forwarded token or link).
    private static readonly Gen<(int Claimant, int Owner)> Parties =
        Gen.Select(Sub, Gen.Int[0, 3], (owner, pick) => (pick == 0 ? 3 - owner : owner, owner));

    private static readonly Gen<Op> AnyOp = Gen.Frequency(
        (3, Gen.Select(Sub, Gen.Int[-24, 24 * 40], (s, h) => (Op)new Activate(s, h))),
        (8, Gen.Select(Sub, From, (s, f) => (Op)new Advance(s, f))),
        (3, Gen.Select(Sub, Gen.Int[1, 2], (s, f) => (Op)new Press(s, f))),
        (4, Sub.Select(s => (Op)new Deliver(s))),
        (2, Sub.Select(s => (Op)new ShowStep(s))),
        (3, Sub.Select(s => (Op)new Reissue(s))),
        (6, Gen.Select(Parties, Gen.Int[0, 5], (p, w) => (Op)new RedeemToken(p.Claimant, p.Owner, w <= 2 ? 0 : w - 2))),
        (4, Gen.Select(Parties, Gen.Int[0, 3], (p, w) => (Op)new RedeemLink(p.Claimant, p.Owner, w <= 1 ? 0 : w - 1))),
        (5, Gen.Int[0, JumpMinutes.Length - 1].Select(i => (Op)new Jump(JumpMinutes[i]))),
        (1, Gen.Const((Op)new Sweep())),
        (1, Sub.Select(s => (Op)new Skip(s))));

    [Fact]
    public async Task R1_to_R9_Random_operation_sequences_match_the_reference_model_and_keep_the_invariants() =>
        await AnyOp.Array[1, 80].SampleAsync(RunAsync, iter: 400, threads: 1);

    private static async Task RunAsync(Op[] ops)
    {
        await using var host = new TestHost(o =>
        {
            o.LinkLifetime = Lifetime;
            o.ReissueCooldown = Cooldown;
        });
        var model = new Dictionary<int, Member>();
        var history = new Dictionary<int, List<(string Token, string Link)>>();
        var redeemedTokens = new HashSet<string>(StringComparer.Ordinal);

        foreach (var op in ops)
        {
            var now = host.Now;
            var before = new Dictionary<int, VipEntryStage>();
            for (var s = 1; s <= 2; s++)
            {
                before[s] = await host.StageAsync(s);
            }

            VipEntryTrigger? trigger = null;
            switch (op)
            {
                case Activate a:
                {
                    var result = await host.Engine.ActivateAsync(a.Sub, now.AddHours(a.Hours));
                    Assert.Equal(ExpectActivate(model, a.Sub, now, now.AddHours(a.Hours)), result.Outcome);
                    trigger = before[a.Sub] == VipEntryStage.NotEnrolled ? VipEntryTrigger.Activate : VipEntryTrigger.Renew;
                    break;
                }

                case Advance a:
                {
                    var ended = model.TryGetValue(a.Sub, out var m) && now >= m.Ends;
                    var result = await host.Engine.AdvanceAsync(a.Sub, (VipEntryStage)a.From);
                    Assert.Equal(ExpectAdvance(model, a.Sub, a.From, now), result.Outcome);
                    Assert.False(ended && result.Succeeded, "an ended subscription advanced");
                    trigger = VipEntryTrigger.Advance;
                    break;
                }

                case Press p:
                {
                    var result = (await host.Engine.HandleCallbackAsync(p.Sub, VipEntryCallbackData.EncodeAdvance((VipEntryStage)p.From))).Result;
                    var expectedPress = ExpectAdvance(model, p.Sub, p.From, now);

                    // The stage-2 press that also delivered the grant says so in its outcome.
                    if (expectedPress == VipEntryOutcome.Advanced && p.From == 2 && result.Access is not null)
                    {
                        expectedPress = VipEntryOutcome.AccessIssued;
                    }

                    Assert.Equal(expectedPress, result.Outcome);

                    // The step shown next is stage 3's: it delivers access like GetStep would.
                    if (result.Access is not null || model.GetValueOrDefault(p.Sub)?.Stage == VipEntryStage.AccessDelivery)
                    {
                        CheckDelivery(host, model, history, p.Sub, now, reissue: false, result, afterPress: true);
                    }

                    trigger = VipEntryTrigger.Advance;
                    break;
                }

                case Deliver d:
                    CheckDelivery(host, model, history, d.Sub, now, reissue: false, await host.Engine.DeliverAccessAsync(d.Sub), afterPress: false);
                    break;

                case ShowStep s:
                {
                    var step = await host.Engine.GetStepAsync(s.Sub);
                    if (model.TryGetValue(s.Sub, out var m) && m.Stage == VipEntryStage.AccessDelivery && now < m.Ends)
                    {
                        CheckDelivery(host, model, history, s.Sub, now, reissue: false, step.Result, afterPress: false);
                    }
                    else
                    {
                        Assert.Equal(ExpectStep(model, s.Sub, now), step.Result.Outcome);
                    }

                    break;
                }

                case Reissue r:
                    CheckDelivery(host, model, history, r.Sub, now, reissue: true, await host.Engine.ReissueAccessAsync(r.Sub), afterPress: false);
                    break;

                case RedeemToken r:
                {
                    var owned = history.GetValueOrDefault(r.Owner) ?? [];
                    var token = r.Which switch
                    {
                        0 when model.GetValueOrDefault(r.Owner)?.Token is { } current => current,
                        1 when owned.Count > 0 => owned[0].Token,
                        3 => "' OR 1=1 --".PadRight(64, 'x'),
                        _ => new string('Q', 63) + r.Owner,
                    };
                    var ended = model.TryGetValue(r.Claimant, out var m) && now >= m.Ends;
                    var result = await host.Engine.RedeemTokenAsync(r.Claimant, token);
                    Assert.Equal(ExpectRedeem(model, r.Claimant, now, r.Which == 3 && !AccessToken.TryParse(token, out _), m2 => m2.Token == token), result.Outcome);
                    Assert.False(ended && result.Succeeded, "an ended subscription redeemed");
                    if (result.Outcome == VipEntryOutcome.Redeemed)
                    {
                        Assert.True(redeemedTokens.Add(token), "a token was redeemed twice");
                    }

                    trigger = VipEntryTrigger.Redeem;
                    break;
                }

                case RedeemLink r:
                {
                    var owned = history.GetValueOrDefault(r.Owner) ?? [];
                    var link = r.Which switch
                    {
                        0 when model.GetValueOrDefault(r.Owner)?.Link is { } current => current,
                        1 when owned.Count > 0 => owned[0].Link,
                        _ => "https://t.me/+unknown",
                    };
                    var tokenOfLink = owned.FirstOrDefault(x => x.Link == link).Token;
                    var result = await host.Engine.RedeemLinkAsync(r.Claimant, link);
                    Assert.Equal(ExpectRedeem(model, r.Claimant, now, malformed: false, m2 => m2.Link == link), result.Outcome);
                    if (result.Outcome == VipEntryOutcome.Redeemed)
                    {
                        Assert.True(redeemedTokens.Add(tokenOfLink!), "a grant was redeemed twice");
                    }

                    trigger = VipEntryTrigger.Redeem;
                    break;
                }

                case Skip k:
                {
                    var link = model.GetValueOrDefault(k.Sub)?.Link;
                    var result = await host.Engine.SkipAsync(k.Sub, "admin", "property test");
                    Assert.Equal(ExpectSkip(model, k.Sub, now), result.Outcome);
                    if (result.Outcome == VipEntryOutcome.Skipped)
                    {
                        Assert.Equal(link is null ? [] : [link], result.LinksToRevoke);
                    }

                    trigger = VipEntryTrigger.AdministrativeSkip;
                    break;
                }

                case Jump j:
                    host.Time.Advance(TimeSpan.FromMinutes(j.Minutes));
                    break;

                case Sweep:
                {
                    var reported = new List<long>();
                    VipEntrySweepResult batch;
                    do
                    {
                        batch = await host.Engine.SweepAsync();
                        reported.AddRange(batch.Lapses.Select(l => l.SubscriberId));
                        foreach (var lapse in batch.Lapses)
                        {
                            // The worker does the channel work at once and confirms it (R17).
                            Assert.Equal(VipEntryOutcome.LapseConfirmed, (await host.Engine.ConfirmLapseHandledAsync(lapse)).Outcome);
                        }
                    }
                    while (batch.HasMore);

                    var expected = model.Where(kv => now >= kv.Value.Ends && !kv.Value.LapseReported).Select(kv => (long)kv.Key).Order().ToList();
                    Assert.Equal(expected, reported.Order());
                    foreach (var id in expected)
                    {
                        model[(int)id].LapseReported = true;
                        model[(int)id].ClearGrant();
                    }

                    break;
                }
            }

            await CheckInvariantsAsync(host, model, history, before, trigger);
        }
    }

    private static void CheckDelivery(TestHost host, Dictionary<int, Member> model, Dictionary<int, List<(string Token, string Link)>> history, int sub, DateTimeOffset now, bool reissue, VipEntryResult result, bool afterPress)
    {
        if (!model.TryGetValue(sub, out var m))
        {
            Assert.Equal(VipEntryOutcome.NotEnrolled, result.Outcome);
            return;
        }

        VipEntryOutcome expected;
        if (now >= m.Ends)
        {
            expected = VipEntryOutcome.SubscriptionExpired;
        }
        else if (m.Stage == VipEntryStage.Completed)
        {
            expected = VipEntryOutcome.AlreadyCompleted;
        }
        else if (m.Stage != VipEntryStage.AccessDelivery)
        {
            expected = VipEntryOutcome.WrongStage;
        }
        else if (m.Token is null)
        {
            expected = VipEntryOutcome.AccessIssued;
        }
        else if (now < m.IssuedAt + Lifetime)
        {
            expected = VipEntryOutcome.AccessShown;
        }
        else if (!reissue)
        {
            expected = VipEntryOutcome.LinkExpired;
        }
        else
        {
            expected = now < m.IssuedAt + Cooldown ? VipEntryOutcome.ReissueTooSoon : VipEntryOutcome.AccessReissued;
        }

        if (!afterPress)
        {
            Assert.Equal(expected, result.Outcome);
        }

        if (expected is VipEntryOutcome.AccessIssued or VipEntryOutcome.AccessReissued)
        {
            Assert.NotNull(result.Access);
            var link = result.Access.Link;
            var token = host.Issuer!.TokenByLink[link];
            if (expected == VipEntryOutcome.AccessReissued)
            {
                Assert.Equal([m.Link!], result.LinksToRevoke);
            }

            m.Token = token;
            m.Link = link;
            m.IssuedAt = now;
            m.Issued++;
            if (!history.TryGetValue(sub, out var list))
            {
                history[sub] = list = [];
            }

            list.Add((token, link));
            Assert.Equal(now + Lifetime, result.Access.ExpiresAt);
        }
        else if (expected == VipEntryOutcome.AccessShown)
        {
            Assert.Equal(m.Link, result.Access!.Link);
        }
    }

    private static VipEntryOutcome ExpectActivate(Dictionary<int, Member> model, int sub, DateTimeOffset now, DateTimeOffset ends)
    {
        if (ends <= now)
        {
            return VipEntryOutcome.SubscriptionExpired;
        }

        if (!model.TryGetValue(sub, out var m))
        {
            model[sub] = new Member { Stage = VipEntryStage.ActivationConfirmation, Ends = ends };
            return VipEntryOutcome.Started;
        }

        var lapsed = now >= m.Ends || m.LapseReported;
        if (!lapsed && m.Ends == ends)
        {
            return VipEntryOutcome.AtStage;
        }

        var restart = lapsed || m.Stage != VipEntryStage.Completed;
        m.Ends = ends;
        m.LapseReported = false;
        if (!restart)
        {
            return VipEntryOutcome.Renewed;
        }

        m.Stage = VipEntryStage.ActivationConfirmation;
        m.ClearGrant();
        return VipEntryOutcome.Restarted;
    }

    private static VipEntryOutcome ExpectAdvance(Dictionary<int, Member> model, int sub, int from, DateTimeOffset now)
    {
        if (from is not (1 or 2))
        {
            return VipEntryOutcome.InvalidInput;
        }

        if (!model.TryGetValue(sub, out var m))
        {
            return VipEntryOutcome.NotEnrolled;
        }

        if (now >= m.Ends)
        {
            return VipEntryOutcome.SubscriptionExpired;
        }

        if ((int)m.Stage != from)
        {
            return VipEntryOutcome.StaleStage;
        }

        m.Stage = (VipEntryStage)(from + 1);
        return VipEntryOutcome.Advanced;
    }

    private static VipEntryOutcome ExpectSkip(Dictionary<int, Member> model, int sub, DateTimeOffset now)
    {
        if (!model.TryGetValue(sub, out var m))
        {
            return VipEntryOutcome.NotEnrolled;
        }

        if (now >= m.Ends)
        {
            return VipEntryOutcome.SubscriptionExpired;
        }

        if (m.Stage == VipEntryStage.Completed)
        {
            return VipEntryOutcome.AlreadyCompleted;
        }

        m.Stage = VipEntryStage.Completed;
        m.ClearGrant();
        return VipEntryOutcome.Skipped;
    }

    private static VipEntryOutcome ExpectStep(Dictionary<int, Member> model, int sub, DateTimeOffset now) =>
        !model.TryGetValue(sub, out var m) ? VipEntryOutcome.NotEnrolled
        : now >= m.Ends ? VipEntryOutcome.SubscriptionExpired
        : m.Stage == VipEntryStage.Completed ? VipEntryOutcome.AlreadyCompleted
        : VipEntryOutcome.AtStage;

    private static VipEntryOutcome ExpectRedeem(Dictionary<int, Member> model, int claimant, DateTimeOffset now, bool malformed, Func<Member, bool> holds)
    {
        if (malformed)
        {
            return VipEntryOutcome.InvalidInput;
        }

        var owner = model.FirstOrDefault(kv => kv.Value.Token is not null && holds(kv.Value));
        if (owner.Value is null)
        {
            // A completed claimant with no live grant: already inside while paying, or lapsed.
            var c = model.GetValueOrDefault(claimant);
            return c?.Stage == VipEntryStage.Completed
                ? (now < c.Ends ? VipEntryOutcome.AlreadyCompleted : VipEntryOutcome.SubscriptionExpired)
                : VipEntryOutcome.UnknownGrant;
        }

        if (owner.Key != claimant)
        {
            return VipEntryOutcome.Refused;
        }

        var m = owner.Value;
        if (now >= m.Ends)
        {
            return VipEntryOutcome.SubscriptionExpired;
        }

        if (now >= m.IssuedAt + Lifetime)
        {
            return VipEntryOutcome.LinkExpired;
        }

        m.Stage = VipEntryStage.Completed;
        m.ClearGrant();
        return VipEntryOutcome.Redeemed;
    }

    private static async Task CheckInvariantsAsync(TestHost host, Dictionary<int, Member> model, Dictionary<int, List<(string Token, string Link)>> history, Dictionary<int, VipEntryStage> before, VipEntryTrigger? trigger)
    {
        for (var s = 1; s <= 2; s++)
        {
            var record = await host.RecordAsync(s);
            var stage = record?.Stage ?? VipEntryStage.NotEnrolled;

            // The reference model and the store agree.
            Assert.Equal(model.GetValueOrDefault(s)?.Stage ?? VipEntryStage.NotEnrolled, stage);

            // No stage is skipped: every change is an edge of the diagram for the operation that ran.
            if (stage != before[s])
            {
                Assert.True(trigger is { } t && VipEntryStateDiagram.IsPermitted(before[s], t, stage), $"{before[s]} -> {stage} on {trigger}");
            }

            // At most one live grant per subscriber: of every token ever issued to them, at most one still resolves.
            var resolving = 0;
            foreach (var (token, link) in history.GetValueOrDefault(s) ?? [])
            {
                Assert.True(AccessToken.TryParse(token, out var parsed));
                if (await host.Store.FindByTokenHashAsync(parsed.ComputeHash()) is { } owner)
                {
                    Assert.Equal(s, owner.SubscriberId);
                    Assert.Equal(link, owner.GrantLink);
                    resolving++;
                }
            }

            Assert.InRange(resolving, 0, 1);
            Assert.Equal(model.GetValueOrDefault(s)?.Token is null ? 0 : 1, resolving);

            // A grant exists only at stage 3.
            Assert.True(record?.GrantTokenHash is null || stage == VipEntryStage.AccessDelivery);
            Assert.Equal(model.GetValueOrDefault(s)?.Issued ?? 0, history.GetValueOrDefault(s)?.Count ?? 0);
        }
    }

    private sealed class Member
    {
        public VipEntryStage Stage { get; set; }

        public DateTimeOffset Ends { get; set; }

        public bool LapseReported { get; set; }

        public string? Token { get; set; }

        public string? Link { get; set; }

        public DateTimeOffset? IssuedAt { get; set; }

        public int Issued { get; set; }

        public void ClearGrant()
        {
            Token = null;
            Link = null;
            IssuedAt = null;
        }
    }
}
