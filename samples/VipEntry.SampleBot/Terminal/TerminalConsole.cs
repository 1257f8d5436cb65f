using Spectre.Console;

namespace VipEntry.SampleBot.Terminal;

/// <summary>The terminal's input and output: a Spectre.Console writer and a plain line reader (works with piped stdin).</summary>
/// <param name="output">Where panels and charts are drawn.</param>
/// <param name="input">Where lines are read.</param>
/// <param name="echoInput">Whether to print each line read (stdin is piped, so nobody saw it typed).</param>
public sealed class TerminalConsole(IAnsiConsole output, TextReader input, bool echoInput)
{
    /// <summary>The output.</summary>
    public IAnsiConsole Output { get; } = output;

    /// <summary>The input.</summary>
    public TextReader Input { get; } = input;

    /// <summary>Whether lines read are echoed.</summary>
    public bool EchoInput { get; } = echoInput;

    // The sweep may write while the chat does; one writer at a time keeps panels whole.
    internal Lock Gate { get; } = new();

    /// <summary>The process console.</summary>
    /// <returns>The console.</returns>
    public static TerminalConsole FromProcess() => new(AnsiConsole.Console, Console.In, Console.IsInputRedirected);
}
