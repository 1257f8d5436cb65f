using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class UntrustedInputTests
{
    public static TheoryData<string?> MalformedTokens() =>
    [
        null!,
        string.Empty,
        " ",
        new string('A', 63),
        new string('A', 65),
        new string('A', 63) + "=",
        new string('A', 63) + "+",
        new string('A', 63) + "/",
        new string('A', 32) + " " + new string('A', 31),
        new string('A', 63) + "\0",
        new string('é', 64),
        new string('Ａ', 64),
        string.Concat(Enumerable.Repeat("😀", 32)),
        new string('A', 10 * 1024),
        "' OR 1=1 --".PadRight(64, 'x'),
        "'; DROP TABLE vip_subscribers; --".PadRight(64, '-'),
        "\"".PadRight(64, 'a'),
        "\r\n" + new string('A', 62),
    ];

    public static TheoryData<string?> GarbageCallbackData() =>
    [
        null!,
        string.Empty,
        "vipe:",
        "vipe:1:",
        "vipe:1:0",
        "vipe:1:3",
        "vipe:1:4",
        "vipe:1:-1",
        "vipe:1:99",
        "vipe:2:1",
        "vipe:0:1",
        "VIPE:1:1",
        "vipe:1:1 ",
        " vipe:1:1",
        "vipe:1:1\0",
        "vipe:1:١",
        "vipe:1:N",
        new string('v', 10 * 1024),
        "' OR 1=1 --",
    ];

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public async Task R11_Malformed_tokens_get_InvalidInput_and_never_throw(string? token)
    {
        await using var host = new TestHost();
        var (_, realToken) = await host.IssueAsync(1);

        var result = await host.Engine.RedeemTokenAsync(1, token);

        Assert.Equal(VipEntryOutcome.InvalidInput, result.Outcome);
        Assert.Equal(VipEntryStage.AccessDelivery, result.Stage);
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(1, realToken)).Outcome);
    }

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public async Task R11_Malformed_links_never_throw_and_never_redeem(string? link)
    {
        await using var host = new TestHost();
        await host.IssueAsync(1);

        var result = await host.Engine.RedeemLinkAsync(1, link);

        Assert.Contains(result.Outcome, new[] { VipEntryOutcome.InvalidInput, VipEntryOutcome.UnknownGrant });
        Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(1));
    }

    [Theory]
    [InlineData("https://t.me/+abc\u0000def")]
    [InlineData("\u0000")]
    [InlineData("https://t.me/+abc\ndef")]
    [InlineData("https://t.me/+abc\u007f")]
    public async Task R11_Links_with_control_characters_are_invalid_input_before_any_lookup(string link)
    {
        await using var host = new TestHost();
        await host.IssueAsync(1);

        var result = await host.Engine.RedeemLinkAsync(1, link);

        // InvalidInput, not UnknownGrant: the link never reaches the store (PostgreSQL rejects NUL in text outright).
        Assert.Equal(VipEntryOutcome.InvalidInput, result.Outcome);
        Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(1));
    }

    [Fact]
    public async Task Issue10_Hostile1_Links_with_a_lone_surrogate_are_invalid_input_before_any_lookup()
    {
        // Built in code: an attribute argument would carry the lone surrogates as UTF-8, which replaces them with U+FFFD.
        string[] links = ["https://t.me/+abc\uDA2Edef", "\uDC8A", "https://t.me/+abc\uD83D", "\uDE00https://t.me/+abc", "https://t.me/+\uDE00\uD83D"];
        await using var host = new TestHost();
        await host.IssueAsync(1);

        foreach (var link in links)
        {
            var result = await host.Engine.RedeemLinkAsync(1, link);

            // InvalidInput, not UnknownGrant: the link never reaches the store (Npgsql threw EncoderFallbackException on it).
            Assert.Equal(VipEntryOutcome.InvalidInput, result.Outcome);
        }

        Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(1));
    }

    [Fact]
    public async Task Issue10_Hostile1_Links_with_well_formed_surrogate_pairs_still_reach_the_store()
    {
        await using var host = new TestHost();
        await host.IssueAsync(1);

        Assert.Equal(VipEntryOutcome.UnknownGrant, (await host.Engine.RedeemLinkAsync(1, "https://t.me/+😀")).Outcome);
    }

    [Theory]
    [MemberData(nameof(GarbageCallbackData))]
    public async Task R11_Garbage_callback_data_gets_InvalidInput_and_changes_nothing(string? data)
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation);

        var step = await host.Engine.HandleCallbackAsync(1, data);

        Assert.Equal(VipEntryOutcome.InvalidInput, step.Result.Outcome);
        Assert.Equal(VipEntryStage.ActivationConfirmation, step.Result.Stage);
        Assert.NotNull(step.Prompt);
        Assert.Equal(VipEntryStage.ActivationConfirmation, await host.StageAsync(1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public async Task R11_Invalid_stage_numbers_get_InvalidInput(int stage)
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation);

        var result = await host.Engine.AdvanceAsync(1, (VipEntryStage)stage);

        Assert.Equal(VipEntryOutcome.InvalidInput, result.Outcome);
        Assert.Equal(VipEntryStage.ActivationConfirmation, await host.StageAsync(1));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    public async Task R11_Unknown_user_ids_get_a_result_from_every_operation(long id)
    {
        await using var host = new TestHost();

        Assert.Equal(VipEntryOutcome.NotEnrolled, (await host.Engine.AdvanceAsync(id, VipEntryStage.ActivationConfirmation)).Outcome);
        Assert.Equal(VipEntryOutcome.NotEnrolled, (await host.Engine.DeliverAccessAsync(id)).Outcome);
        Assert.Equal(VipEntryOutcome.NotEnrolled, (await host.Engine.ReissueAccessAsync(id)).Outcome);
        Assert.Equal(VipEntryOutcome.NotEnrolled, (await host.Engine.GetStepAsync(id)).Result.Outcome);
        Assert.Equal(VipEntryOutcome.NotEnrolled, (await host.Engine.HandleCallbackAsync(id, "vipe:1:1")).Result.Outcome);
        Assert.Equal(VipEntryOutcome.NotEnrolled, (await host.Engine.SkipAsync(id, "admin", "why")).Outcome);
        Assert.Equal(VipEntryOutcome.UnknownGrant, (await host.Engine.RedeemTokenAsync(id, new string('Z', 64))).Outcome);
        Assert.Equal(VipEntryOutcome.UnknownGrant, (await host.Engine.RedeemLinkAsync(id, "https://t.me/+nothing")).Outcome);
        Assert.Null(await host.RecordAsync(id));
    }

    [Theory]
    [InlineData(null, "reason")]
    [InlineData("", "reason")]
    [InlineData(" ", "reason")]
    [InlineData("admin", null)]
    [InlineData("admin", "")]
    public async Task R11_A_skip_without_actor_or_reason_is_a_programmer_error(string? actor, string? reason)
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation);

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await host.Engine.SkipAsync(1, actor!, reason!));
        Assert.Equal(VipEntryStage.ActivationConfirmation, await host.StageAsync(1));
    }

    [Fact]
    public async Task R11_Garbage_callback_data_at_stage_3_never_mints_a_grant()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery);

        var step = await host.Engine.HandleCallbackAsync(1, "vipe:9:garbage");

        Assert.Equal(VipEntryOutcome.InvalidInput, step.Result.Outcome);
        Assert.Null(step.Result.Access);
        Assert.Equal(0, host.Issuer!.Calls);
        Assert.Null((await host.RecordAsync(1))!.GrantTokenHash);
        Assert.Equal(VipEntry.Core.Messages.VipEntryButtonKind.RequestNewLink, step.Prompt.Button!.Kind);

        // With a live recorded link, garbage shows that same link again.
        var issued = await host.Engine.DeliverAccessAsync(1);
        var again = await host.Engine.HandleCallbackAsync(1, "vipe:1:x");
        Assert.Equal(VipEntryOutcome.InvalidInput, again.Result.Outcome);
        Assert.Equal(issued.Access!.Link, again.Result.Access!.Link);
        Assert.Equal(1, host.Issuer.Calls);
    }
}
