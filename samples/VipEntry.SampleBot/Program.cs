using Microsoft.Extensions.Hosting;
using VipEntry.SampleBot;
using VipEntry.SampleBot.Configuration;

// Terminal mode with no configuration; Telegram mode when Telegram__BotToken is set (webhook mode with
// Telegram__WebhookUrl too). See README.md.
IHost host;
try
{
    host = SampleBotHost.Build(args);
}
catch (SampleConfigurationException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

using (host)
{
    await host.RunAsync();
}

return 0;
