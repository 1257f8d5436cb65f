using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MyBot;
using Telegram.Bot;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Core.Telegram;

var builder = Host.CreateApplicationBuilder(args);
var bot = new TelegramBotClientOptions(builder.Configuration["Bot:Token"]!, baseUrl: builder.Configuration["Bot:ApiBaseUrl"]);
builder.Services.AddSingleton<ITelegramBotClient>(new TelegramBotClient(bot));
// Pooled: a bot opens a scope per update, and a new DbContext per update costs more than the ritual's own statement.
builder.Services.AddDbContextPool<BotDb>(o => o.UseSqlite(builder.Configuration.GetConnectionString("Bot") ?? "Data Source=bot.db"));
builder.Services.AddVipEntry(builder.Configuration.GetSection("VipEntry"))             // VipEntry:DefaultCulture, LinkLifetime, …
    .AddEntityFrameworkCoreStore<BotDb>()
    .AddTelegram(builder.Configuration.GetSection("VipEntry:Telegram"));               // VipEntry:Telegram:ChatId, …
builder.Services.AddHostedService<PollingService>();
var host = builder.Build();

await using (var scope = host.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<BotDb>().Database.EnsureCreatedAsync();   // or your migrations
}

await host.RunAsync();
