using System.Text;
using VipEntry.Core.Messages;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Tests.Messages;

public sealed class VipEntryCallbackDataTests
{
    private static IEnumerable<string> AllEncodings() =>
    [
        VipEntryCallbackData.EncodeAdvance(VipEntryStage.ActivationConfirmation),
        VipEntryCallbackData.EncodeAdvance(VipEntryStage.ExpectationAlignment),
        VipEntryCallbackData.EncodeRequestNewLink(),
    ];

    [Fact]
    public void R14_Callback_data_is_versioned_compact_and_at_most_64_bytes()
    {
        Assert.All(AllEncodings(), data =>
        {
            Assert.StartsWith($"{VipEntryCallbackData.Prefix}{VipEntryCallbackData.Version}:", data, StringComparison.Ordinal);
            Assert.InRange(Encoding.UTF8.GetByteCount(data), 1, VipEntryCallbackData.MaxBytes);
            Assert.True(VipEntryCallbackData.IsVipEntryData(data));
        });
        Assert.Equal("vipe:1:2", VipEntryCallbackData.EncodeAdvance(VipEntryStage.ExpectationAlignment));
        Assert.Equal(3, AllEncodings().Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(VipEntryStage.ActivationConfirmation)]
    [InlineData(VipEntryStage.ExpectationAlignment)]
    public void R14_Advance_callback_data_round_trips(VipEntryStage stage)
    {
        Assert.True(VipEntryCallbackData.TryDecode(VipEntryCallbackData.EncodeAdvance(stage), out var callback));

        Assert.Equal(new VipEntryCallback(VipEntryCallbackAction.Advance, stage), callback);
    }

    [Fact]
    public void R14_New_link_callback_data_round_trips()
    {
        Assert.True(VipEntryCallbackData.TryDecode(VipEntryCallbackData.EncodeRequestNewLink(), out var callback));

        Assert.Equal(VipEntryCallbackAction.RequestNewLink, callback.Action);
    }

    [Theory]
    [InlineData(VipEntryStage.NotEnrolled)]
    [InlineData(VipEntryStage.AccessDelivery)]
    [InlineData(VipEntryStage.Completed)]
    [InlineData((VipEntryStage)42)]
    public void R11_Encoding_an_advance_from_a_stage_without_one_is_a_programmer_error(VipEntryStage stage) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VipEntryCallbackData.EncodeAdvance(stage));

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("other:1", false)]
    [InlineData("vipe:9:future", true)]
    public void R14_The_prefix_lets_a_host_route_any_version(string? data, bool ours)
    {
        Assert.Equal(ours, VipEntryCallbackData.IsVipEntryData(data));
        Assert.False(VipEntryCallbackData.TryDecode(data, out _));
    }
}
