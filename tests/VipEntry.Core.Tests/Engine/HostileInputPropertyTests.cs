using System.Reflection;
using System.Reflection.Emit;
using System.Security.Cryptography;
using CsCheck;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;
using VipEntry.Core.Tokens;
using VipEntry.Tests.Hostile;

namespace VipEntry.Core.Tests.Engine;

/// <summary>
/// Hostile input, property-based (issue 10, R11, R12): every parser that meets untrusted text, and the engine's entry
/// points that take it, given any string — invalid UTF-16, up to 1 MB, control characters, bidi marks, SQL and format
/// metacharacters, look-alikes and near misses of the real token and link — return a result, never throw, never succeed.
/// </summary>
public sealed class HostileInputPropertyTests
{
    /// <summary>Cases per property in the short mode (the figure in docs/reliability.md); times VIPENTRY_PROPERTY_SCALE in the long mode.</summary>
    public const int ParserCases = 20_000;

    public const int EngineCases = 1_000;

    public const int EnumerationCases = 2_000;

    private static readonly string[] ValidCallbacks = ["vipe:1:1", "vipe:1:2", "vipe:1:n", "vipe:1:r"];

    [Fact]
    public void R11_AccessToken_TryParse_of_any_string_never_throws_and_accepts_exactly_the_well_formed_tokens() =>
        HostileInput.Any.Sample(
            s =>
            {
                var parsed = AccessToken.TryParse(s, out var token);
                Assert.Equal(HostileInput.IsWellFormedToken(s), parsed);
                if (parsed)
                {
                    Assert.Equal(64, token.ComputeHash().Length);
                    Assert.DoesNotContain(s, token.ToString(), StringComparison.Ordinal);
                }
                else
                {
                    Assert.False(token.HasValue);
                }
            },
            iter: HostileInput.Scaled(ParserCases),
            print: HostileInput.Describe);

    [Fact]
    public void R11_AccessToken_TryParse_of_near_misses_of_a_token_accepts_only_the_well_formed_ones() =>
        Gen.Select(HostileInput.WellFormedToken, HostileInput.NearMisses).Sample(
            (valid, miss) =>
            {
                var candidate = miss.Apply(valid);
                Assert.Equal(HostileInput.IsWellFormedToken(candidate), AccessToken.TryParse(candidate, out _));
                Assert.True(AccessToken.TryParse(valid, out var real));
                if (AccessToken.TryParse(candidate, out var other) && !string.Equals(candidate, valid, StringComparison.Ordinal))
                {
                    Assert.False(other.MatchesHash(real.ComputeHash()));
                    Assert.NotEqual(real, other);
                }
            },
            iter: HostileInput.Scaled(ParserCases));

    [Fact]
    public void R11_Callback_data_TryDecode_of_any_string_never_throws_and_accepts_exactly_the_four_encodings() =>
        Gen.OneOf(HostileInput.Any, Gen.Select(Gen.OneOf(ValidCallbacks), HostileInput.NearMisses, (v, m) => m.Apply(v))).Sample(
            s =>
            {
                var decoded = VipEntryCallbackData.TryDecode(s, out var callback);
                Assert.Equal(ValidCallbacks.Contains(s, StringComparer.Ordinal), decoded);
                Assert.Equal(decoded, callback is not null);
                _ = VipEntryCallbackData.IsVipEntryData(s);
                Assert.True(VipEntryCallbackData.Prefix.Length + 3 <= VipEntryCallbackData.MaxBytes);
            },
            iter: HostileInput.Scaled(ParserCases),
            print: HostileInput.Describe);

    [Fact]
    public async Task R11_Any_string_as_token_link_or_callback_data_is_a_result_never_an_exception_and_never_a_redemption() =>
        await Gen.Select(HostileInput.Any, HostileInput.NearMisses).SampleAsync(
            async (s, miss) =>
            {
                await using var host = new TestHost();
                var (link, token) = await host.IssueAsync(1);

                // Member 2 completed and holds a live re-entry grant (R16): hostile text must not readmit them either.
                var (link2, token2) = await host.IssueAsync(2);
                Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(2, token2)).Outcome);
                var reentry = await host.Engine.RequestReentryAsync(2);
                Assert.Equal(VipEntryOutcome.AccessIssued, reentry.Outcome);
                var reentryLink = reentry.Access!.Link;
                var reentryToken = host.Issuer!.TokenByLink[reentryLink];

                string[] candidates = [s, miss.Apply(token), miss.Apply(link), miss.Apply(reentryToken), miss.Apply(reentryLink)];
                string[] real = [token, link, reentryToken, reentryLink, link2, token2];
                foreach (var candidate in candidates.Where(c => !real.Contains(c, StringComparer.Ordinal)))
                {
                    foreach (var claimant in new long[] { 1, 2, 3 })
                    {
                        AssertRefused(await host.Engine.RedeemTokenAsync(claimant, candidate), candidate);
                        AssertRefused(await host.Engine.RedeemLinkAsync(claimant, candidate), candidate);
                    }

                    if (!ValidCallbacks.Contains(candidate, StringComparer.Ordinal))
                    {
                        foreach (var claimant in new long[] { 1, 2, 3 })
                        {
                            var step = await host.Engine.HandleCallbackAsync(claimant, candidate);
                            Assert.Equal(VipEntryOutcome.InvalidInput, step.Result.Outcome);
                            Assert.NotNull(step.Prompt);
                        }
                    }
                }

                // Nothing moved, and the owners' grants still work.
                Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(1));
                Assert.Equal(VipEntryStage.Completed, await host.StageAsync(2));
                Assert.Equal(VipEntryStage.NotEnrolled, await host.StageAsync(3));
                Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemLinkAsync(1, link)).Outcome);
                Assert.Equal(VipEntryOutcome.Readmitted, (await host.Engine.RedeemTokenAsync(2, reentryToken)).Outcome);
            },
            iter: HostileInput.Scaled(EngineCases),
            print: t => $"{HostileInput.Describe(t.Item1)}, {t.Item2}");

    [Fact]
    public async Task R6_Enumeration_random_well_formed_tokens_and_random_invite_links_never_redeem_anything() =>
        await Gen.Select(HostileInput.WellFormedToken, HostileInput.RandomInviteLink, Gen.Long[1, 3]).SampleAsync(
            async (token, link, claimant) =>
            {
                await using var host = new TestHost();
                var (realLink, realToken) = await host.IssueAsync(1);
                if (token == realToken || link == realLink)
                {
                    return;
                }

                var byToken = await host.Engine.RedeemTokenAsync(claimant, token);
                var byLink = await host.Engine.RedeemLinkAsync(claimant, link);

                Assert.Equal(VipEntryOutcome.UnknownGrant, byToken.Outcome);
                Assert.Equal(VipEntryOutcome.UnknownGrant, byLink.Outcome);
                Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(1));
                Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(1, realToken)).Outcome);
            },
            iter: HostileInput.Scaled(EnumerationCases));

    [Fact]
    public void R12_Token_checks_compare_with_FixedTimeEquals_over_the_whole_value_and_never_with_an_early_exit_comparison()
    {
        // By counting, not by timing: the methods that compare a token or its hash call FixedTimeEquals (which reads every
        // byte of equal-length inputs) and none of the comparisons that stop at the first difference.
        foreach (var method in new[]
        {
            typeof(AccessToken).GetMethod(nameof(AccessToken.MatchesHash))!,
            typeof(AccessToken).GetMethod(nameof(AccessToken.Equals), [typeof(AccessToken)])!,
        })
        {
            var calls = CalledMethods(method);
            Assert.Equal(1, calls.Count(m => m.DeclaringType == typeof(CryptographicOperations) && m.Name == nameof(CryptographicOperations.FixedTimeEquals)));
            Assert.DoesNotContain(calls, IsEarlyExitComparison);
        }

        // The work does not depend on how much of the hash matches: equal-length inputs, one FixedTimeEquals call over
        // all 128 bytes, whether the stored hash shares 0, 1, 32 or 63 leading characters with the token's hash.
        Assert.True(AccessToken.TryParse(new string('A', 64), out var token));
        var hash = token.ComputeHash();
        foreach (var shared in new[] { 0, 1, 32, 63 })
        {
            var stored = hash[..shared] + new string(hash[shared] == 'f' ? '0' : 'f', 64 - shared);
            Assert.Equal(64, stored.Length);
            Assert.False(token.MatchesHash(stored));
        }

        Assert.True(token.MatchesHash(hash));
    }

    private static void AssertRefused(VipEntryResult result, string candidate)
    {
        Assert.False(result.Succeeded, $"{result.Outcome} for {HostileInput.Describe(candidate)}");
        Assert.True(
            result.Outcome is VipEntryOutcome.InvalidInput or VipEntryOutcome.UnknownGrant or VipEntryOutcome.AlreadyCompleted or VipEntryOutcome.Refused,
            $"{result.Outcome} for {HostileInput.Describe(candidate)}");
    }

    private static bool IsEarlyExitComparison(MethodBase m) =>
        (m.DeclaringType == typeof(string) && m.Name is "Equals" or "op_Equality" or "op_Inequality" or "CompareOrdinal" or "Compare" or "StartsWith" or "CompareTo")
        || (m.DeclaringType == typeof(MemoryExtensions) && m.Name is "SequenceEqual" or "SequenceCompareTo" or "StartsWith" or "CommonPrefixLength")
        || (m.DeclaringType == typeof(Enumerable) && m.Name == "SequenceEqual")
        || (m.DeclaringType?.Name == "StringComparer" && m.Name == "Equals");

    // The methods a method body calls, read from its IL (call, callvirt, newobj).
    private static List<MethodBase> CalledMethods(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        var oneByte = new Dictionary<short, OpCode>();
        var twoByte = new Dictionary<short, OpCode>();
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)field.GetValue(null)!;
            (op.Size == 1 ? oneByte : twoByte)[op.Value] = op;
        }

        var calls = new List<MethodBase>();
        for (var i = 0; i < il.Length;)
        {
            OpCode op;
            if (il[i] == 0xFE)
            {
                op = twoByte[unchecked((short)(0xFE00 | il[i + 1]))];
                i += 2;
            }
            else
            {
                op = oneByte[il[i]];
                i += 1;
            }

            var operand = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
            if (op == OpCodes.Call || op == OpCodes.Callvirt || op == OpCodes.Newobj)
            {
                calls.Add(method.Module.ResolveMethod(BitConverter.ToInt32(il, i), method.DeclaringType!.GetGenericArguments(), method.GetGenericArguments())!);
            }

            i += operand;
        }

        return calls;
    }
}
