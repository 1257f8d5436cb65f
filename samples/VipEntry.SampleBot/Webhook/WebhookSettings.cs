using VipEntry.SampleBot.Configuration;

namespace VipEntry.SampleBot.Webhook;

/// <summary>Checks webhook mode's settings before anything starts, so a wrong one stops the program at once, named.</summary>
internal static class WebhookSettings
{
    /// <summary>Telegram's rule for <c>secret_token</c>: 1–256 characters of <c>A–Z a–z 0–9 _ -</c>.</summary>
    public const int MaxSecretLength = 256;

    /// <summary>Throws <see cref="SampleConfigurationException"/> naming the setting that is missing or invalid.</summary>
    /// <param name="telegram">The Telegram section.</param>
    /// <returns>The path the webhook is served on (the URL's path).</returns>
    public static string Validate(TelegramOptions telegram)
    {
        if (!Uri.TryCreate(telegram.WebhookUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new SampleConfigurationException("Telegram__WebhookUrl must be an absolute https URL (the address Telegram posts updates to).");
        }

        var secret = telegram.WebhookSecret;
        if (string.IsNullOrEmpty(secret))
        {
            throw new SampleConfigurationException("Telegram__WebhookSecret is required in webhook mode (1-256 characters of A-Z a-z 0-9 _ -): Telegram sends it back with every update, and updates without it are refused.");
        }

        if (secret.Length > MaxSecretLength || !secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new SampleConfigurationException("Telegram__WebhookSecret is invalid: it must be 1-256 characters of A-Z a-z 0-9 _ - (Telegram's rule for secret_token).");
        }

        return url.AbsolutePath;
    }
}
