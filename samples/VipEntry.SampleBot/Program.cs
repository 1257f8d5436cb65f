using Microsoft.Extensions.Hosting;
using VipEntry.SampleBot;

// Terminal mode with no configuration; Telegram mode when Telegram__BotToken is set. See README.md.
using var host = SampleBotHost.CreateBuilder(args).Build();
await host.RunAsync();
