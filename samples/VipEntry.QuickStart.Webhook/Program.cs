using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using MyBot;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Core.Telegram;

var builder = WebApplication.CreateBuilder(args);
var secret = builder.Configuration["Bot:WebhookSecret"]!;                 // 1–256 characters of A–Z a–z 0–9 _ -
var bot = new TelegramBotClientOptions(builder.Configuration["Bot:Token"]!, baseUrl: builder.Configuration["Bot:ApiBaseUrl"]);
builder.Services.AddSingleton<ITelegramBotClient>(new TelegramBotClient(bot));
builder.Services.ConfigureTelegramBot<JsonOptions>(o => o.SerializerOptions); // Telegram.Bot's JSON for the Update parameter
// Pooled: a bot opens a scope per update, and a new DbContext per update costs more than the ritual's own statement.
builder.Services.AddDbContextPool<BotDb>(o => o.UseSqlite(builder.Configuration.GetConnectionString("Bot") ?? "Data Source=bot.db"));
builder.Services.AddVipEntry(builder.Configuration.GetSection("VipEntry"))
    .AddEntityFrameworkCoreStore<BotDb>()
    .AddTelegram(builder.Configuration.GetSection("VipEntry:Telegram"));
var app = builder.Build();

await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<BotDb>().Database.EnsureCreatedAsync();   // or your migrations
}

await app.Services.GetRequiredService<ITelegramBotClient>().SetWebhook(
    url: builder.Configuration["Bot:WebhookUrl"]!, secretToken: secret,
    allowedUpdates: [UpdateType.Message, UpdateType.CallbackQuery, UpdateType.ChatJoinRequest, UpdateType.ChatMember]);

app.MapPost("/telegram", async (HttpRequest request, Update update, IVipEntryTelegram vip, CancellationToken ct) =>
{
    var given = Encoding.UTF8.GetBytes(request.Headers["X-Telegram-Bot-Api-Secret-Token"].ToString());
    if (!CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(secret))) return Results.Unauthorized();
    if (await vip.HandleUpdateAsync(update, ct)) return Results.Ok();   // the ritual's: done (vip is scoped: one per request)
    if (update.Message is { Text: "/start", From: { } from }) await vip.ShowStepAsync(from, ct);
    // ... the rest of your bot
    return Results.Ok();                                                 // after the work: nothing queued in memory
});

await app.RunAsync();
