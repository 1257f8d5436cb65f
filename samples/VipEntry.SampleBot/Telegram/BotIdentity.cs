using Telegram.Bot;

namespace VipEntry.SampleBot.Telegram;

/// <summary>The bot's username (for <c>https://t.me/&lt;username&gt;?start=&lt;code&gt;</c> links), asked once with <c>getMe</c>.</summary>
/// <param name="bot">The client.</param>
internal sealed class BotIdentity(ITelegramBotClient bot) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _username;

    public void Dispose() => _gate.Dispose();

    public async ValueTask<string> GetUsernameAsync(CancellationToken cancellationToken)
    {
        if (_username is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_username is null)
            {
                var me = await bot.GetMe(cancellationToken: cancellationToken);
                _username = me.Username ?? me.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return _username;
        }
        finally
        {
            _gate.Release();
        }
    }
}
