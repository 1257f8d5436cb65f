using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests;

/// <summary>
/// Issue 15, point 6: a member's <c>language_code</c>, seen once by the package, is remembered in the database, so what
/// is sent to them without a Telegram <c>User</c> at hand (here the channel worker's lapse notice, from a new process on
/// the same database) is in their language, not the default one.
/// </summary>
public sealed class MemberLanguageTests
{
    private const long Member = 7601;
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    [Theory]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Issue15_Point6_A_member_whose_language_code_was_seen_once_gets_their_language_in_the_lapse_notice_after_a_restart(TestStore store)
    {
        await using var api = new FakeBotApiServer { TrackMembership = true };
        var time = new RecordingTimeProvider(TelegramTestHost.Start);
        string database;
        if (store == TestStore.Postgres)
        {
            await PostgresServer.RequireAsync();
            database = await PostgresServer.CreateDatabaseAsync("telegram_language");
        }
        else
        {
            database = Path.Combine(Path.GetTempPath(), $"vipentry-language-{Guid.NewGuid():N}.db");
        }

        try
        {
            await using (var before = new TelegramTestHost(api, time: time, storeKind: store, database: database))
            {
                // Paid by id (a payment webhook): no User, so stage 1 comes in the default language...
                await before.TelegramAsync(t => t.ActivateAsync(Member, time.GetUtcNow().AddDays(30)));
                // ...then the member presses stage 1's button from a Spanish Telegram: the press carries language_code.
                Assert.True(await before.HandleAsync(TelegramUpdates.Callback(Member, VipEntryCallbackData.EncodeAdvance(VipEntryStage.ActivationConfirmation), "q-1", messageId: 5, languageCode: "es")));
                Assert.Equal(VipEntryStage.ExpectationAlignment, (await before.StatusAsync(Member)).Stage);
            }

            // The process is gone; another one starts on the same database. Nothing from this member reaches it any more.
            await using var after = new TelegramTestHost(api, time: time, storeKind: store, database: database);
            Assert.Equal(Spanish, await after.EngineAsync(e => e.GetCultureAsync(Member)));
            await after.LapseAsync(Member);
            var sentBefore = api.Calls("sendMessage").Count;

            var report = await after.RunChannelCycleAsync();

            Assert.Equal(1, report.LapsesConfirmed);
            var notice = Assert.Single(api.Calls("sendMessage").Skip(sentBefore), c => c.Number("chat_id") == Member);
            var messages = after.Services.GetRequiredService<IVipEntryMessageProvider>();
            Assert.Contains(notice.Text("text"), new[] { VipEntryNotice.SubscriptionExpired, VipEntryNotice.RemovedAfterLapse }.Select(n => messages.GetNotice(n, Spanish)));
            Assert.DoesNotContain(notice.Text("text"), new[] { VipEntryNotice.SubscriptionExpired, VipEntryNotice.RemovedAfterLapse }.Select(n => messages.GetNotice(n, English)));
        }
        finally
        {
            if (store == TestStore.Postgres)
            {
                await PostgresServer.DropDatabaseAsync(database);
            }
            else
            {
                File.Delete(database);
            }
        }
    }
}
