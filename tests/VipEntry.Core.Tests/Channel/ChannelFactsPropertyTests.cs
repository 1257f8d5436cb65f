using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Channel;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Channel;

/// <summary>
/// R19 as a property: random sequences of payments, steps, joins by the link and by other means, leaving, ended
/// subscriptions, skips, re-entry, clock jumps and worker cycles whose port calls fail at random (removals, unbans,
/// lifts, revokes). After the failures stop and the worker drains (cycles past the lease), the model chat must hold:
/// nobody inside who is not entitled, nobody paying who stays banned, and every link of a grant that no longer stands
/// revoked. Subscribers 1–3; 4 and 5 are strangers who never pay.
/// </summary>
public sealed class ChannelFactsPropertyTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Odd = TimeSpan.FromTicks(12_345_678);
    private static readonly int[] JumpMinutes = [1, 7, 11, 59, 600, 1441, 4320, 20_000];

    public abstract record Op;

    public sealed record Pay(int Who, int Days) : Op;

    public sealed record WalkAndJoin(int Who) : Op;

    public sealed record JoinByOtherMeans(int Who) : Op;

    public sealed record Leave(int Who) : Op;

    public sealed record EndNow(int Who) : Op;

    public sealed record Skip(int Who) : Op;

    public sealed record Reenter(int Who) : Op;

    public sealed record Reissue(int Who) : Op;

    public sealed record Jump(int Minutes) : Op;

    /// <summary>A worker cycle; each bit of <paramref name="Faults"/> makes one kind of port call fail during it.</summary>
    public sealed record Cycle(int Faults, int FailFor) : Op;

    private static readonly Gen<int> Member = Gen.Int[1, 3];
    private static readonly Gen<int> Anyone = Gen.Int[1, 5];

    private static readonly Gen<Op> AnyOp = Gen.Frequency(
        (4, Gen.Select(Member, Gen.Int[1, 40], (w, d) => (Op)new Pay(w, d))),
        (6, Member.Select(w => (Op)new WalkAndJoin(w))),
        (3, Anyone.Select(w => (Op)new JoinByOtherMeans(w))),
        (2, Anyone.Select(w => (Op)new Leave(w))),
        (2, Member.Select(w => (Op)new EndNow(w))),
        (1, Member.Select(w => (Op)new Skip(w))),
        (2, Member.Select(w => (Op)new Reenter(w))),
        (2, Member.Select(w => (Op)new Reissue(w))),
        (4, Gen.Int[0, JumpMinutes.Length - 1].Select(i => (Op)new Jump(JumpMinutes[i]))),
        (6, Gen.Select(Gen.Int[0, 15], Anyone, (f, w) => (Op)new Cycle(f, w))));

    [Fact]
    public async Task R19_After_any_history_and_a_drain_nobody_unentitled_is_inside_nobody_paying_is_banned_and_stale_links_are_revoked() =>
        await AnyOp.Array[1, 60].SampleAsync(RunAsync, iter: 300 * Scale, threads: 1);

    private static int Scale => int.TryParse(Environment.GetEnvironmentVariable("VIPENTRY_PROPERTY_SCALE"), out var s) && s > 0 ? s : 1;

    private static async Task RunAsync(Op[] ops)
    {
        await using var host = new TestHost(
            o =>
            {
                o.LapseLease = Lease;
                o.ReissueCooldown = TimeSpan.FromMinutes(5);
            },
            build: b => b.UseChannel<ModelChannel>(w => w.Enabled = false, ServiceLifetime.Singleton));
        var chat = (ModelChannel)host.Services.GetRequiredService<IVipEntryChannel>();
        var engine = host.Engine;
        var worker = host.Services.GetRequiredService<IVipEntryChannelWorker>();
        foreach (var op in ops)
        {
            var now = host.Time.GetUtcNow();
            switch (op)
            {
                case Pay p:
                    await engine.ActivateAsync(p.Who, now + TimeSpan.FromDays(p.Days) + Odd);
                    break;
                case WalkAndJoin w:
                    await engine.AdvanceAsync(w.Who, VipEntryStage.ActivationConfirmation);
                    await engine.AdvanceAsync(w.Who, VipEntryStage.ExpectationAlignment);
                    if ((await engine.DeliverAccessAsync(w.Who)).Access is { } access
                        && (await engine.RedeemLinkAsync(w.Who, access.Link)).Succeeded)
                    {
                        chat.Join(w.Who); // the transport approves the join request
                    }

                    break;
                case JoinByOtherMeans j:
                    chat.Join(j.Who);
                    if (chat.IsIn(j.Who))
                    {
                        await engine.ReportInsideAsync(j.Who);
                    }

                    break;
                case Leave l:
                    if (chat.IsIn(l.Who))
                    {
                        chat.Leave(l.Who);
                        await engine.ReportOutsideAsync(l.Who);
                    }

                    break;
                case EndNow e:
                    await engine.EndSubscriptionAsync(e.Who);
                    break;
                case Skip s:
                    await engine.SkipAsync(s.Who, "admin", "property");
                    break;
                case Reenter r:
                    if ((await engine.RequestReentryAsync(r.Who)).Access is { } again
                        && (await engine.RedeemLinkAsync(r.Who, again.Link)).Succeeded)
                    {
                        chat.Join(r.Who);
                    }

                    break;
                case Reissue r:
                    await engine.ReissueAccessAsync(r.Who);
                    break;
                case Jump j:
                    host.Time.Advance(TimeSpan.FromMinutes(j.Minutes) + Odd);
                    break;
                case Cycle c:
                    chat.FailUnbanAfterBan = (c.Faults & 1) != 0;
                    chat.FailLift = (c.Faults & 2) != 0;
                    chat.FailRevoke = (c.Faults & 4) != 0;
                    if ((c.Faults & 8) != 0)
                    {
                        chat.FailRemoval.Add(c.FailFor);
                    }

                    await worker.RunOnceAsync();
                    chat.FailUnbanAfterBan = chat.FailLift = chat.FailRevoke = false;
                    chat.FailRemoval.Clear();
                    break;
            }
        }

        // The drain: failures stop; cycles run past the lease so every owed record is handed out again.
        for (var i = 0; i < 3; i++)
        {
            host.Time.Advance(Lease + Odd);
            await worker.RunOnceAsync();
        }

        var at = host.Time.GetUtcNow();
        var why = string.Join(" → ", ops.Select(o => o.ToString()));
        for (var id = 1; id <= 5; id++)
        {
            var record = await host.Store.FindAsync(id);
            var paying = record is not null && record.IsActiveAt(at);
            var entitled = paying && record!.Stage == VipEntryStage.Completed;
            Assert.True(!chat.IsIn(id) || entitled, $"{id} is inside without being entitled (stage {record?.Stage}, paying {paying}) after: {why}\n{string.Join("\n", chat.Calls)}");
            Assert.True(!chat.IsBanned(id) || !paying, $"{id} pays and is banned after: {why}\n{string.Join("\n", chat.Calls)}");
        }

        // Every link issued is either the live grant of its owner (still standing) or revoked.
        var standing = new HashSet<string>(StringComparer.Ordinal);
        for (var id = 1; id <= 3; id++)
        {
            if ((await host.Store.FindAsync(id))?.GrantLink is { } link)
            {
                standing.Add(link);
            }
        }

        foreach (var issued in host.Issuer!.TokenByLink.Keys)
        {
            Assert.True(standing.Contains(issued) || chat.Revoked.Contains(issued), $"{issued} no longer stands and was never revoked after: {why}");
        }

        Assert.False(chat.Overlapped);
    }
}
