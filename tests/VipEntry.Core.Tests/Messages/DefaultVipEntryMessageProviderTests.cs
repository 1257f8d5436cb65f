using System.Globalization;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Stages;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace VipEntry.Core.Tests.Messages;

public sealed class DefaultVipEntryMessageProviderTests
{
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo Es = CultureInfo.GetCultureInfo("es");

    private static DefaultVipEntryMessageProvider Create(Action<VipEntryMessageOptions>? overrides = null, string defaultCulture = "en")
    {
        var messages = new VipEntryMessageOptions();
        overrides?.Invoke(messages);
        return new DefaultVipEntryMessageProvider(MsOptions.Create(messages), MsOptions.Create(new VipEntryOptions { DefaultCulture = defaultCulture }));
    }

    public static TheoryData<VipEntryStage> Stages() => [VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, VipEntryStage.AccessDelivery];

    [Theory]
    [MemberData(nameof(Stages))]
    public void R14_Every_stage_has_distinct_English_and_Spanish_defaults(VipEntryStage stage)
    {
        var provider = Create();

        var en = provider.GetStageMessage(stage, En);
        var es = provider.GetStageMessage(stage, Es);

        Assert.False(string.IsNullOrWhiteSpace(en.Text));
        Assert.False(string.IsNullOrWhiteSpace(es.Text));
        Assert.False(string.IsNullOrWhiteSpace(en.ButtonLabel));
        Assert.False(string.IsNullOrWhiteSpace(es.ButtonLabel));
        Assert.NotEqual(en.Text, es.Text);
        Assert.NotEqual(en.ButtonLabel, es.ButtonLabel);
        Assert.Equal(en.ButtonKind, es.ButtonKind);
        Assert.Equal(stage == VipEntryStage.AccessDelivery ? VipEntryButtonKind.OpenLink : VipEntryButtonKind.Advance, en.ButtonKind);
    }

    [Fact]
    public void R14_Every_notice_has_distinct_English_and_Spanish_defaults()
    {
        var provider = Create();

        foreach (var notice in Enum.GetValues<VipEntryNotice>())
        {
            var en = provider.GetNotice(notice, En);
            var es = provider.GetNotice(notice, Es);
            Assert.False(string.IsNullOrWhiteSpace(en));
            Assert.False(string.IsNullOrWhiteSpace(es));
            Assert.NotEqual(en, es);
        }

        var all = Enum.GetValues<VipEntryNotice>().Select(n => provider.GetNotice(n, En)).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void R14_Stage_3_text_has_the_expiry_placeholder_in_both_languages()
    {
        var provider = Create();

        Assert.Contains("{expires}", provider.GetStageMessage(VipEntryStage.AccessDelivery, En).Text, StringComparison.Ordinal);
        Assert.Contains("{expires}", provider.GetStageMessage(VipEntryStage.AccessDelivery, Es).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es-MX")]
    [InlineData("es-ES")]
    [InlineData("es-AR")]
    public void R14_A_specific_Spanish_culture_falls_back_to_Spanish(string name)
    {
        var provider = Create();

        Assert.Equal(provider.GetStageMessage(VipEntryStage.ActivationConfirmation, Es), provider.GetStageMessage(VipEntryStage.ActivationConfirmation, CultureInfo.GetCultureInfo(name)));
        Assert.Equal(provider.GetNotice(VipEntryNotice.LinkExpired, Es), provider.GetNotice(VipEntryNotice.LinkExpired, CultureInfo.GetCultureInfo(name)));
    }

    [Fact]
    public void R14_An_unknown_culture_falls_back_to_the_default_culture_then_English()
    {
        var englishDefault = Create();
        var spanishDefault = Create(defaultCulture: "es");
        var french = CultureInfo.GetCultureInfo("fr-FR");

        Assert.Equal(englishDefault.GetStageMessage(VipEntryStage.ExpectationAlignment, En), englishDefault.GetStageMessage(VipEntryStage.ExpectationAlignment, french));
        Assert.Equal(spanishDefault.GetStageMessage(VipEntryStage.ExpectationAlignment, Es), spanishDefault.GetStageMessage(VipEntryStage.ExpectationAlignment, french));
        Assert.Equal(englishDefault.GetNotice(VipEntryNotice.Welcome, En), englishDefault.GetNotice(VipEntryNotice.Welcome, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void R14_A_stage_override_applies_to_its_culture_and_its_specific_cultures_only()
    {
        var custom = new VipEntryStageMessage("¡Hola! Tu acceso se está preparando.", "Seguir", VipEntryButtonKind.Advance);
        var provider = Create(o => o.SetStage(VipEntryStage.ActivationConfirmation, "es", custom));
        var builtIn = Create();

        Assert.Equal(custom, provider.GetStageMessage(VipEntryStage.ActivationConfirmation, Es));
        Assert.Equal(custom, provider.GetStageMessage(VipEntryStage.ActivationConfirmation, CultureInfo.GetCultureInfo("es-MX")));
        Assert.Equal(builtIn.GetStageMessage(VipEntryStage.ActivationConfirmation, En), provider.GetStageMessage(VipEntryStage.ActivationConfirmation, En));
        Assert.Equal(builtIn.GetStageMessage(VipEntryStage.ExpectationAlignment, Es), provider.GetStageMessage(VipEntryStage.ExpectationAlignment, Es));
    }

    [Fact]
    public void R14_A_specific_culture_override_wins_over_the_neutral_one_and_leaves_siblings_alone()
    {
        var mx = new VipEntryStageMessage("Órale, ya casi.", "Dale", VipEntryButtonKind.Advance);
        var provider = Create(o => o.SetStage(VipEntryStage.ExpectationAlignment, "es-MX", mx));
        var builtIn = Create();

        Assert.Equal(mx, provider.GetStageMessage(VipEntryStage.ExpectationAlignment, CultureInfo.GetCultureInfo("es-MX")));
        Assert.Equal(builtIn.GetStageMessage(VipEntryStage.ExpectationAlignment, Es), provider.GetStageMessage(VipEntryStage.ExpectationAlignment, CultureInfo.GetCultureInfo("es-AR")));
    }

    [Fact]
    public void R14_A_notice_override_applies_per_culture()
    {
        var provider = Create(o => o.SetNotice(VipEntryNotice.AlreadyCompleted, "en", "You're in already."));

        Assert.Equal("You're in already.", provider.GetNotice(VipEntryNotice.AlreadyCompleted, CultureInfo.GetCultureInfo("en-GB")));
        Assert.Equal(Create().GetNotice(VipEntryNotice.AlreadyCompleted, Es), provider.GetNotice(VipEntryNotice.AlreadyCompleted, Es));
    }

    [Fact]
    public void R11_Overriding_a_stage_without_a_prompt_is_a_programmer_error()
    {
        var options = new VipEntryMessageOptions();
        var message = new VipEntryStageMessage("x", "y", VipEntryButtonKind.Advance);

        Assert.Throws<ArgumentOutOfRangeException>(() => options.SetStage(VipEntryStage.Completed, "en", message));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.SetStage(VipEntryStage.NotEnrolled, "en", message));
        Assert.Throws<ArgumentNullException>(() => options.SetStage(VipEntryStage.ActivationConfirmation, null!, message));
        Assert.ThrowsAny<ArgumentException>(() => options.SetNotice(VipEntryNotice.Welcome, "en", " "));
    }
}
