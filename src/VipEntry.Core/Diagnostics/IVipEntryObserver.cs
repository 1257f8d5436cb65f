namespace VipEntry.Core.Diagnostics;

/// <summary>
/// Observes ritual transitions, e.g. to give the member a VIP role on completion (R15).
/// Register any number with <c>AddObserver&lt;T&gt;()</c>. An observer that throws is logged and does not
/// undo the transition or stop other observers.
/// </summary>
public interface IVipEntryObserver
{
    /// <summary>Called after a transition was stored.</summary>
    /// <param name="transition">The transition.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    ValueTask OnTransitionAsync(VipEntryTransitionEvent transition, CancellationToken cancellationToken = default);
}
