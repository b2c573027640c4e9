"""Texts of `bijstand send` and the Verzending sheets (to be merged into the one table)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "send.sheet": {"nl": "Verzending", "fr": "Envoi", "en": "Delivery"},
    "send.title": {"nl": "Verzending van de documenten", "fr": "Envoi des documents", "en": "Delivery of the documents"},
    "send.number": {"nl": "Nummer", "fr": "Numéro", "en": "Number"},
    "send.customer": {"nl": "Klant", "fr": "Client", "en": "Customer"},
    "send.channel": {"nl": "Kanaal", "fr": "Canal", "en": "Channel"},
    "send.address": {"nl": "Adres", "fr": "Adresse", "en": "Address"},
    "send.state": {"nl": "Toestand", "fr": "État", "en": "State"},
    "send.message_id": {"nl": "Bericht-id", "fr": "Identifiant du message", "en": "Message id"},
    "send.when": {"nl": "Laatst bijgewerkt", "fr": "Dernière mise à jour", "en": "Last updated"},
    "send.detail": {"nl": "Toelichting", "fr": "Précision", "en": "Details"},
    "send.resend": {"nl": "Opnieuw", "fr": "Renvoi", "en": "Resend"},
    "channel.peppol": {"nl": "Peppol", "fr": "Peppol", "en": "Peppol"},
    "channel.email": {"nl": "e-mail", "fr": "e-mail", "en": "e-mail"},
    "channel.post": {"nl": "post", "fr": "poste", "en": "post"},
    "state.to_send": {"nl": "te verzenden", "fr": "à envoyer", "en": "to send"},
    "state.sending": {"nl": "bezig", "fr": "en cours", "en": "sending"},
    "state.sent": {"nl": "verzonden", "fr": "envoyé", "en": "sent"},
    "state.failed": {"nl": "mislukt", "fr": "échoué", "en": "failed"},
    "state.pending": {"nl": "wacht", "fr": "en attente", "en": "pending"},
    "state.uncertain": {"nl": "onzeker", "fr": "incertain", "en": "uncertain"},
    "state.post": {"nl": "af te drukken en te posten", "fr": "à imprimer et poster", "en": "to print and post"},
    "state.outbox": {"nl": "in outbox (proef)", "fr": "dans l'outbox (essai)", "en": "in outbox (dry run)"},
    "send.line": {"nl": "{number}  {channel:<6} {state:<12} {address}{detail}", "fr": "{number}  {channel:<6} "
                  "{state:<12} {address}{detail}", "en": "{number}  {channel:<6} {state:<12} {address}{detail}"},
    "send.total": {"nl": "Verzending: {summary}.", "fr": "Envoi : {summary}.", "en": "Delivery: {summary}."},
    "send.nothing": {"nl": "Niets te verzenden: elk document is verzonden, onzeker, mislukt of per post.",
                     "fr": "Rien à envoyer : chaque document est envoyé, incertain, échoué ou par la poste.",
                     "en": "Nothing to send: every document is sent, uncertain, failed or by post."},
    "send.outbox": {"nl": "Proef: niets verzonden; bekijk {folder}", "fr": "Essai : rien envoyé ; voyez {folder}",
                    "en": "Dry run: nothing sent; look at {folder}"},
    "send.interrupted": {"nl": "Een vorige verzending werd onderbroken tijdens het versturen van: {numbers} — ze staan "
                         "nu als onzeker: kijk na of de klant ze kreeg, en gebruik --resend NUMMER als dat niet zo is.",
                         "fr": "Un envoi précédent a été interrompu pendant l'envoi de : {numbers} — ils sont "
                         "maintenant incertains : vérifiez si le client les a reçus, sinon utilisez --resend NUMÉRO.",
                         "en": "An earlier send was interrupted while sending: {numbers} — they are now uncertain: "
                         "check whether the customer received them, and use --resend NUMBER if not."},
}
