using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Options;
using VipEntry.Core.Options;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Messages;

/// <summary>
/// Built-in Spanish and English texts written for VipEntry, with the host's overrides applied first.
/// Culture lookup: the exact culture, then its parents (<c>es-MX</c> → <c>es</c>), then
/// <see cref="VipEntryOptions.DefaultCulture"/>, then English.
/// </summary>
public sealed class DefaultVipEntryMessageProvider : IVipEntryMessageProvider
{
    private static readonly FrozenDictionary<(VipEntryStage, string), VipEntryStageMessage> BuiltInStages =
        new Dictionary<(VipEntryStage, string), VipEntryStageMessage>
        {
            [(VipEntryStage.ActivationConfirmation, "EN")] = new(
                "Your VIP subscription is active. Your access is being prepared: there are two short steps before you receive your personal link.",
                "Continue",
                VipEntryButtonKind.Advance),
            [(VipEntryStage.ExpectationAlignment, "EN")] = new(
                "The VIP channel is a private space for members. What is shared there stays there, and everyone is treated with respect. By continuing you agree to keep it that way.",
                "I agree",
                VipEntryButtonKind.Advance),
            [(VipEntryStage.AccessDelivery, "EN")] = new(
                "Here is your personal access link. It works once, only for you, and expires on {expires}.",
                "Join the VIP channel",
                VipEntryButtonKind.OpenLink),
            [(VipEntryStage.ActivationConfirmation, "ES")] = new(
                "Tu suscripción VIP está activa. Estamos preparando tu acceso: quedan dos pasos breves antes de recibir tu enlace personal.",
                "Continuar",
                VipEntryButtonKind.Advance),
            [(VipEntryStage.ExpectationAlignment, "ES")] = new(
                "El canal VIP es un espacio privado para sus miembros. Lo que se comparte allí se queda allí, y se trata a todos con respeto. Al continuar aceptas mantenerlo así.",
                "Acepto",
                VipEntryButtonKind.Advance),
            [(VipEntryStage.AccessDelivery, "ES")] = new(
                "Este es tu enlace de acceso personal. Funciona una sola vez, solo para ti, y caduca el {expires}.",
                "Entrar al canal VIP",
                VipEntryButtonKind.OpenLink),
        }.ToFrozenDictionary();

    private static readonly FrozenDictionary<(VipEntryNotice, string), string> BuiltInNotices =
        new Dictionary<(VipEntryNotice, string), string>
        {
            [(VipEntryNotice.NotEnrolled, "EN")] = "There is no active VIP subscription for this account.",
            [(VipEntryNotice.SubscriptionExpired, "EN")] = "Your VIP subscription has ended. Renew it to continue.",
            [(VipEntryNotice.LinkExpired, "EN")] = "Your access link has expired. You can ask for a new one.",
            [(VipEntryNotice.AlreadyCompleted, "EN")] = "Your VIP entry is complete. If you are not inside the VIP channel (you left, or your link expired), ask for a new entry link.",
            [(VipEntryNotice.LinkAlreadyDelivered, "EN")] = "Your access link was already sent above and is shown only once. If you lost it, you can ask for a new one.",
            [(VipEntryNotice.ReissueTooSoon, "EN")] = "A new link was issued a moment ago. Please try again in {retryAfter}.",
            [(VipEntryNotice.Refused, "EN")] = "This access link belongs to another member and cannot be used from this account.",
            [(VipEntryNotice.InvalidLink, "EN")] = "This link or code is not valid.",
            [(VipEntryNotice.Welcome, "EN")] = "Welcome to the VIP channel. Your entry is complete.",
            [(VipEntryNotice.TryAgain, "EN")] = "Something went wrong on our side. Nothing was lost: please try again in a moment.",
            [(VipEntryNotice.RemovedAfterLapse, "EN")] = "Your VIP subscription has ended, so your access to the VIP channel was removed. Renew it to come back.",
            [(VipEntryNotice.ReentryButton, "EN")] = "Get a new entry link",
            [(VipEntryNotice.IdleReminder, "EN")] = "Your VIP entry is waiting for you. Pick up where you left off:",
            [(VipEntryNotice.LinkExpiringReminder, "EN")] = "Your personal access link to the VIP channel has not been used yet and expires on {expires}. Use it before then, or ask for a new one.",
            [(VipEntryNotice.AlreadyInside, "EN")] = "You are already inside the VIP channel: there is nothing more to do.",
            [(VipEntryNotice.EntitledAgain, "EN")] = "Your VIP subscription is active again. Here is a new personal link to come back into the VIP channel.",
            [(VipEntryNotice.StarsOfferTitle, "EN")] = "VIP access, 30 days",
            [(VipEntryNotice.StarsOfferDescription, "EN")] = "Access to the private VIP channel for 30 days, renewed every month until you cancel. After paying you walk two short steps and receive your personal link.",
            [(VipEntryNotice.StarsOfferButton, "EN")] = "Subscribe for {price} Stars a month",
            [(VipEntryNotice.StarsRenewButton, "EN")] = "Subscribe again",
            [(VipEntryNotice.StarsCheckoutRefused, "EN")] = "This invoice cannot be paid: it is no longer the current offer, or it was made for another account. Ask the bot for a new one.",
            [(VipEntryNotice.StarsAlreadySubscribed, "EN")] = "Your VIP subscription is active until {expires} and renews automatically; there is nothing to buy.",
            [(VipEntryNotice.StarsRefunded, "EN")] = "Your payment was refunded and your VIP subscription has ended.",
            [(VipEntryNotice.NotEnrolled, "ES")] = "No hay una suscripción VIP activa para esta cuenta.",
            [(VipEntryNotice.SubscriptionExpired, "ES")] = "Tu suscripción VIP ha terminado. Renuévala para continuar.",
            [(VipEntryNotice.LinkExpired, "ES")] = "Tu enlace de acceso ha caducado. Puedes pedir uno nuevo.",
            [(VipEntryNotice.AlreadyCompleted, "ES")] = "Tu entrada VIP está completa. Si no estás dentro del canal VIP (saliste o tu enlace caducó), pide un nuevo enlace de entrada.",
            [(VipEntryNotice.LinkAlreadyDelivered, "ES")] = "Tu enlace de acceso ya se envió más arriba y solo se muestra una vez. Si lo perdiste, puedes pedir uno nuevo.",
            [(VipEntryNotice.ReissueTooSoon, "ES")] = "Se acaba de emitir un enlace nuevo. Vuelve a intentarlo en {retryAfter}.",
            [(VipEntryNotice.Refused, "ES")] = "Este enlace de acceso pertenece a otro miembro y no se puede usar desde esta cuenta.",
            [(VipEntryNotice.InvalidLink, "ES")] = "Este enlace o código no es válido.",
            [(VipEntryNotice.Welcome, "ES")] = "Te damos la bienvenida al canal VIP. Tu entrada está completa.",
            [(VipEntryNotice.TryAgain, "ES")] = "Algo falló de nuestro lado. No se ha perdido nada: inténtalo de nuevo en un momento.",
            [(VipEntryNotice.RemovedAfterLapse, "ES")] = "Tu suscripción VIP ha terminado, así que se retiró tu acceso al canal VIP. Renuévala para volver.",
            [(VipEntryNotice.ReentryButton, "ES")] = "Pedir un nuevo enlace de entrada",
            [(VipEntryNotice.IdleReminder, "ES")] = "Tu entrada VIP te está esperando. Continúa donde lo dejaste:",
            [(VipEntryNotice.LinkExpiringReminder, "ES")] = "Tu enlace de acceso personal al canal VIP aún no se ha usado y caduca el {expires}. Úsalo antes, o pide uno nuevo.",
            [(VipEntryNotice.AlreadyInside, "ES")] = "Ya estás dentro del canal VIP: no hace falta nada más.",
            [(VipEntryNotice.EntitledAgain, "ES")] = "Tu suscripción VIP vuelve a estar activa. Aquí tienes un nuevo enlace personal para volver al canal VIP.",
            [(VipEntryNotice.StarsOfferTitle, "ES")] = "Acceso VIP, 30 días",
            [(VipEntryNotice.StarsOfferDescription, "ES")] = "Acceso al canal VIP privado durante 30 días, renovado cada mes hasta que lo canceles. Tras pagar recorres dos pasos breves y recibes tu enlace personal.",
            [(VipEntryNotice.StarsOfferButton, "ES")] = "Suscribirme por {price} Stars al mes",
            [(VipEntryNotice.StarsRenewButton, "ES")] = "Volver a suscribirme",
            [(VipEntryNotice.StarsCheckoutRefused, "ES")] = "Esta factura no se puede pagar: ya no es la oferta vigente o se hizo para otra cuenta. Pide una nueva al bot.",
            [(VipEntryNotice.StarsAlreadySubscribed, "ES")] = "Tu suscripción VIP está activa hasta el {expires} y se renueva sola; no hay nada que comprar.",
            [(VipEntryNotice.StarsRefunded, "ES")] = "Se te devolvió el pago y tu suscripción VIP ha terminado.",
        }.ToFrozenDictionary();

    private readonly VipEntryMessageOptions _overrides;
    private readonly string _defaultCulture;

    /// <summary>Creates the provider.</summary>
    /// <param name="overrides">The host's overrides.</param>
    /// <param name="options">The VipEntry options (for the default culture).</param>
    public DefaultVipEntryMessageProvider(IOptions<VipEntryMessageOptions> overrides, IOptions<VipEntryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(options);
        _overrides = overrides.Value;
        _defaultCulture = options.Value.DefaultCulture;
    }

    /// <inheritdoc />
    public VipEntryStageMessage GetStageMessage(VipEntryStage stage, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        foreach (var name in CultureChain(culture))
        {
            if (_overrides.StageOverrides.TryGetValue((stage, name), out var custom))
            {
                return custom;
            }

            if (BuiltInStages.TryGetValue((stage, name), out var builtIn))
            {
                return builtIn;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(stage), stage, "Only stages 1, 2 and 3 have prompts.");
    }

    /// <inheritdoc />
    public string GetNotice(VipEntryNotice notice, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        foreach (var name in CultureChain(culture))
        {
            if (_overrides.NoticeOverrides.TryGetValue((notice, name), out var custom))
            {
                return custom;
            }

            if (BuiltInNotices.TryGetValue((notice, name), out var builtIn))
            {
                return builtIn;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(notice), notice, "Unknown notice.");
    }

    private IEnumerable<string> CultureChain(CultureInfo culture)
    {
        for (var c = culture; !string.IsNullOrEmpty(c.Name); c = c.Parent)
        {
            yield return c.Name.ToUpperInvariant();
        }

        yield return _defaultCulture.ToUpperInvariant();
        yield return "EN";
    }
}
