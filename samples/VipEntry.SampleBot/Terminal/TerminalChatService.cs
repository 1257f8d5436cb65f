using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spectre.Console;
using VipEntry.Core.Messages;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Terminal;

/// <summary>
/// The terminal chat: reads lines (a TTY or piped stdin alike), sends commands to the shared <see cref="RitualService"/> and
/// numbered choices and "join" to <see cref="EngineRitual"/>, draws the replies, and stops the host at <c>/quit</c> or end of input.
/// </summary>
/// <param name="scopes">Creates a scope per line.</param>
/// <param name="console">The terminal.</param>
/// <param name="choices">The numbered choices on screen.</param>
/// <param name="options">The terminal user's id.</param>
/// <param name="lifetime">Stopped at the end of input.</param>
internal sealed class TerminalChatService(IServiceScopeFactory scopes, TerminalConsole console, TerminalChoices choices, IOptions<BotOptions> options, IHostApplicationLifetime lifetime) : BackgroundService
{
    private const string Header = "VipEntry bot";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start-up path: reading a console blocks.
        await Task.Yield();
        var user = new RitualUser(options.Value.TerminalUserId, IsAdmin: true);
        try
        {
            TerminalRenderer.Write(
                console,
                RitualMessage.Plain(string.Create(CultureInfo.InvariantCulture, $"VipEntry sample, terminal mode. You are user {user.Id}: admin and member at once.\nTry /newcode 30, then the /start line it gives you, then the numbered buttons, then join (and leave, to leave the channel). Or /buy, then pay (a simulated Telegram Stars payment). /help lists everything; /quit quits.")),
                "Welcome",
                firstChoice: 1);
            while (!stoppingToken.IsCancellationRequested)
            {
                TerminalRenderer.Prompt(console);
                var line = await Task.Run(console.Input.ReadLine, CancellationToken.None).WaitAsync(stoppingToken);
                if (line is null)
                {
                    TerminalRenderer.Line(console, "[grey](end of input)[/]");
                    break;
                }

                line = line.Trim();
                if (console.EchoInput)
                {
                    TerminalRenderer.Line(console, Markup.Escape(line));
                }

                if (line.Equals("/quit", StringComparison.OrdinalIgnoreCase) || line.Equals("/exit", StringComparison.OrdinalIgnoreCase))
                {
                    break;
                }

                if (line.Length > 0)
                {
                    await HandleLineAsync(user, line, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl+C.
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task HandleLineAsync(RitualUser user, string line, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var ritual = scope.ServiceProvider.GetRequiredService<RitualService>();
        var engine = scope.ServiceProvider.GetRequiredService<EngineRitual>();
        RitualReply reply;
        if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var choice))
        {
            if (choices.Get(choice) is not { } button)
            {
                TerminalRenderer.Line(console, "[yellow]No such choice.[/]");
                return;
            }

            reply = button.Kind == VipEntryButtonKind.OpenLink
                ? await engine.HandleJoinRequestAsync(user.Id, button.Payload, user.LanguageCode, cancellationToken)
                : await engine.HandleButtonAsync(user, button.Payload, cancellationToken);
        }
        else if (line.Equals("join", StringComparison.OrdinalIgnoreCase) || line.StartsWith("join ", StringComparison.OrdinalIgnoreCase))
        {
            // "join" uses the last link shown; "join <link>" any link, to see a wrong one refused.
            var link = line.Length > 5 ? line[5..].Trim() : choices.LastLink();
            reply = await engine.HandleJoinRequestAsync(user.Id, link, user.LanguageCode, cancellationToken);
        }
        else if (line.Equals("pay", StringComparison.OrdinalIgnoreCase))
        {
            // The terminal's stand-in for paying the Stars invoice /buy shows (issue 17).
            reply = await engine.PayAsync(user, cancellationToken);
        }
        else if (line.Equals("leave", StringComparison.OrdinalIgnoreCase))
        {
            reply = await engine.HandleLeaveAsync(user.Id, cancellationToken);
        }
        else
        {
            reply = await ritual.HandleTextAsync(user, line, cancellationToken);
        }

        Show(reply);
    }

    private void Show(RitualReply reply)
    {
        if (reply.Toast is { } toast)
        {
            TerminalRenderer.Line(console, "[grey]" + Markup.Escape(toast) + "[/]");
        }

        var shown = new List<VipEntryButton>();
        foreach (var message in reply.Messages)
        {
            TerminalRenderer.Write(console, message, Header, firstChoice: shown.Count + 1);
            shown.AddRange(message.Buttons);
        }

        choices.Replace(shown);
    }
}
