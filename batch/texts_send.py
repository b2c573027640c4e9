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
    "send.interrupted_detail": {
        "nl": "de opdracht werd onderbroken tijdens het versturen: de klant kan het ontvangen hebben — kijk het na, "
              "en gebruik --resend als dat niet zo is",
        "fr": "la commande a été interrompue pendant l'envoi : le client l'a peut-être reçu — vérifiez, et utilisez "
              "--resend si ce n'est pas le cas",
        "en": "the command was interrupted during the network call: the customer may have received it — check, "
              "then --resend if not"},
    "send.file_missing": {
        "nl": "{file} ontbreekt: niet verzonden — `bijstand repair` schrijft het opnieuw uit het register, daarna "
              "`bijstand send`",
        "fr": "{file} est absent : non envoyé — `bijstand repair` le réécrit depuis le registre, puis `bijstand send`",
        "en": "{file} is missing: not sent — `bijstand repair` writes it again from the register, then "
              "`bijstand send`"},
    "send.file_changed": {
        "nl": "{file} verschilt van het uitgereikte document (SHA-256 in het register): niet verzonden — `bijstand "
              "repair` schrijft de uitgereikte versie terug, daarna `bijstand send`",
        "fr": "{file} diffère du document émis (SHA-256 du registre) : non envoyé — `bijstand repair` réécrit la "
              "version émise, puis `bijstand send`",
        "en": "{file} differs from the issued document (SHA-256 in the register): not sent — `bijstand repair` "
              "writes the issued version again, then `bijstand send`"},
    "send.copy": {"nl": " (kopie)", "fr": " (copie)", "en": " (copy)"},
    "send.resend_mark": {"nl": " (opnieuw {n})", "fr": " (renvoi {n})", "en": " (resend {n})"},
    # --- `bijstand status`: delivery per run (SPEC §11 D6); the English words are SPEC's ------------------
    "status.title": {
        "nl": "Verzending per run (elk document één keer, volgens zijn laatste verzending; een kopie per e-mail "
              "naast Peppol telt niet mee):",
        "fr": "Envoi par run (chaque document une fois, selon son dernier envoi ; une copie par e-mail à côté de "
              "Peppol ne compte pas) :",
        "en": "Delivery per run (each document once, by its latest delivery; an e-mail copy beside Peppol is not "
              "counted):"},
    "status.run": {"nl": "  {label:<24} {n:>5} documenten: {parts}", "fr": "  {label:<24} {n:>5} documents : {parts}",
                   "en": "  {label:<24} {n:>5} documents: {parts}"},
    "status.delivered": {"nl": "afgeleverd", "fr": "remis", "en": "delivered"},
    "status.pending": {"nl": "wacht", "fr": "en attente", "en": "pending"},
    "status.failed": {"nl": "mislukt", "fr": "échoué", "en": "failed"},
    "status.uncertain": {"nl": "onzeker", "fr": "incertain", "en": "uncertain"},
    "status.post": {"nl": "te posten", "fr": "à poster", "en": "to post"},
    "status.sending": {"nl": "bezig", "fr": "en cours", "en": "being sent"},
    "status.more": {"nl": "… en nog {n}", "fr": "… et encore {n}", "en": "… and {n} more"},
    "status.list.uncertain": {
        "nl": "  onzeker (uncertain): {numbers} — het bericht ging (of was aan het gaan) en er kwam geen antwoord: "
              "de verbinding viel weg of bleef stil nadat het document verstuurd was, of `send` werd onderbroken "
              "tijdens het versturen. De klant kan het hebben, dus `send` herhaalt het nooit vanzelf: vraag het na "
              "bij de klant of het access point, en gebruik `bijstand send --resend NUMMER` als het niet aankwam.",
        "fr": "  incertain (uncertain) : {numbers} — le message est parti (ou partait) sans réponse : la connexion "
              "s'est coupée ou est restée muette après l'envoi du document, ou `send` a été interrompu pendant "
              "l'envoi. Le client l'a peut-être, donc `send` ne le répète jamais de lui-même : vérifiez auprès du "
              "client ou du point d'accès, puis `bijstand send --resend NUMÉRO` s'il n'est pas arrivé.",
        "en": "  uncertain: {numbers} — the message went out (or was going out) and no answer came back: the "
              "connection dropped or stayed silent after the document was sent, or `send` was killed during the "
              "network call. The customer may have it, so `send` never repeats it by itself: check with the "
              "customer or the access point, then `bijstand send --resend NUMBER` if it did not arrive."},
    "status.list.failed": {
        "nl": "  mislukt (failed): {numbers} — definitief geweigerd (de reden staat bij `bijstand send` en op het "
              "blad Verzending): los het op, daarna `bijstand send --resend NUMMER`.",
        "fr": "  échoué (failed) : {numbers} — refusé définitivement (la raison est affichée par `bijstand send` et "
              "sur la feuille Envoi) : corrigez, puis `bijstand send --resend NUMÉRO`.",
        "en": "  failed: {numbers} — refused for good (the reason is shown by `bijstand send` and on the Verzending "
              "sheet): fix it, then `bijstand send --resend NUMBER`."},
    "status.list.pending": {
        "nl": "  wacht (pending): {numbers} — nog niet overgedragen: nog niet geprobeerd, een bestand te herstellen "
              "(`bijstand repair`), of geen verbinding vóór er iets verstuurd was (geweigerd, onbereikbaar, DNS, "
              "TLS, een drukke server): de volgende `bijstand send` verzendt ze.",
        "fr": "  en attente (pending) : {numbers} — pas encore remis : jamais essayé, un fichier à réparer "
              "(`bijstand repair`), ou pas de connexion avant tout envoi (refusée, injoignable, DNS, TLS, serveur "
              "occupé) : le prochain `bijstand send` les envoie.",
        "en": "  pending: {numbers} — not handed over yet: never tried, a file to repair (`bijstand repair`), or no "
              "connection before anything was sent (refused, unreachable, DNS, TLS, a busy server): the next "
              "`bijstand send` delivers them."},
    "send.interrupted": {"nl": "Een vorige verzending werd onderbroken tijdens het versturen van: {numbers} — ze staan "
                         "nu als onzeker: kijk na of de klant ze kreeg, en gebruik --resend NUMMER als dat niet zo is.",
                         "fr": "Un envoi précédent a été interrompu pendant l'envoi de : {numbers} — ils sont "
                         "maintenant incertains : vérifiez si le client les a reçus, sinon utilisez --resend NUMÉRO.",
                         "en": "An earlier send was interrupted while sending: {numbers} — they are now uncertain: "
                         "check whether the customer received them, and use --resend NUMBER if not."},
}
