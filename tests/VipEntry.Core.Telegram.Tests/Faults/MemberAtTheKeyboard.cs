using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests.Faults;

/// <summary>
/// A member who only sees the private chat: each move reads the last message the bot managed to send them and presses
/// its button or opens its link (a join request); with nothing new to press they wait out a cooldown and send
/// <c>/start</c> (the host shows their step). "The member can always continue" means this gets them inside.
/// </summary>
/// <param name="host">The bot.</param>
/// <param name="userId">The member.</param>
internal sealed class MemberAtTheKeyboard(TelegramTestHost host, long userId)
{
    private int _used;
    private int _queries;

    public List<string> Moves { get; } = [];

    /// <summary>The last message sent to the member (answered with success), or <see langword="null"/>.</summary>
    public RecordedCall? LastMessage => host.Api.Succeeded("sendMessage").LastOrDefault(c => c.Number("chat_id") == userId);

    /// <summary>Plays until the member is entitled and inside the VIP chat.</summary>
    public async Task GetInAsync(int maxMoves = 14)
    {
        for (var move = 0; move < maxMoves; move++)
        {
            var status = await host.StatusAsync(userId);
            var inside = host.Api.ChatMemberStatus(userId);
            if (status.IsEntitled && inside == "member")
            {
                return;
            }

            Assert.True(inside != "kicked", $"Member {userId} is banned from the VIP chat and can never join again. Moves: {string.Join(", ", Moves)}\n{host.Api.Describe()}");
            await MoveAsync();
        }

        var end = await host.StatusAsync(userId);
        Assert.Fail($"Member {userId} could not get in after {maxMoves} moves (stage {end.Stage}, lapse {end.Lapse}, chat status {host.Api.ChatMemberStatus(userId)}). Moves: {string.Join(", ", Moves)}\n{host.Api.Describe()}");
    }

    /// <summary>One move: the last message's button or link, else (after the reissue cooldown) <c>/start</c>.</summary>
    public async Task MoveAsync()
    {
        var last = LastMessage;
        if (last is null || last.Sequence <= _used || (last.CallbackData.Count == 0 && last.Urls.Count == 0))
        {
            // Nothing new to press (a failed send, a "wait" notice): come back later and ask the bot where I am.
            _used = last?.Sequence ?? 0;
            host.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
            Moves.Add("/start");
            await host.TelegramAsync(t => t.ShowStepAsync(userId));
            return;
        }

        _used = last.Sequence;
        if (last.Urls.Count > 0)
        {
            Moves.Add("join");
            await host.HandleAsync(TelegramUpdates.JoinRequest(TelegramTestHost.VipChatId, userId, last.Urls[0]));
            return;
        }

        Moves.Add("press " + last.CallbackData[0]);
        await host.HandleAsync(TelegramUpdates.Callback(userId, last.CallbackData[0], $"q-{userId}-{++_queries}", messageId: last.Sequence));
    }
}
