// The member's language (issue 15, R14): what the transport saw is remembered per person in the channel facts record,
// so that everything sent without the transport's user at hand (a payment command's step, the worker's notices,
// reminders, re-entry) is in the member's language, on any replica and after a restart.
using System.Globalization;

namespace VipEntry.Core.Engine;

public sealed partial class VipEntryStateMachine
{
    /// <inheritdoc />
    public async ValueTask RememberCultureAsync(long personId, CultureInfo culture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var tag = culture.Name;
        if (string.IsNullOrEmpty(tag) || tag.Length > Storage.VipEntryChannelRecord.MaxLanguageLength)
        {
            return; // the invariant culture says nothing of the member; a longer tag is no language code
        }

        _ = await _channels.RememberLanguageAsync(Chat, personId, tag, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<CultureInfo> GetCultureAsync(long personId, CancellationToken cancellationToken = default)
    {
        var record = await _channels.FindAsync(Chat, personId, cancellationToken).ConfigureAwait(false);
        if (record?.Language is { } tag)
        {
            try
            {
                return CultureInfo.GetCultureInfo(tag, predefinedOnly: true);
            }
            catch (CultureNotFoundException)
            {
                // A tag this runtime does not know (another replica's ICU): the default.
            }
        }

        return CultureInfo.GetCultureInfo(Options.DefaultCulture);
    }
}
