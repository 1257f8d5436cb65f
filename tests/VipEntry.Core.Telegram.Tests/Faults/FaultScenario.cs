using VipEntry.Core.Telegram.Tests.Support;

namespace VipEntry.Core.Telegram.Tests.Faults;

/// <summary>
/// One step of the ritual or of the channel work that makes Bot API calls: how to get there without faults
/// (<see cref="ArrangeAsync"/>), the step itself (<see cref="ActAsync"/>, run with one method failing), the calls it makes
/// (<see cref="Methods"/>, the fault points), and what must hold once the transport is healthy again (<see cref="RecoverAsync"/>).
/// </summary>
/// <param name="Name">The step.</param>
/// <param name="Methods">Every Bot API method the step calls (checked against a fault-free run).</param>
/// <param name="ArrangeAsync">Brings the member to the step; returns the link in play, if any.</param>
/// <param name="ActAsync">The step (the link in play is passed).</param>
/// <param name="RecoverAsync">Drives the member or the worker on with a healthy transport and asserts the goal.</param>
internal sealed record FaultScenario(
    string Name,
    string[] Methods,
    Func<TelegramTestHost, Task<string?>> ArrangeAsync,
    Func<TelegramTestHost, string?, Task> ActAsync,
    Func<TelegramTestHost, string?, Task> RecoverAsync)
{
    /// <summary>Options of the scenario's host (e.g. nudges on).</summary>
    public Action<VipEntry.Core.Options.VipEntryOptions>? VipEntry { get; init; }

    public override string ToString() => Name;
}
