"""Texts the user sees for payments, open items and reminders (SPEC §12), in nl, fr and en, to be
merged into the one translation table (batch/documents/i18n.py). Keys are built from the machine
codes of batch.payments, so every code has its label:

- ``payments.state.<state>``    open item states (open_items.STATES)
- ``payments.code.<code>``      match outcomes (matching.CODES)
- ``payments.reason.<reason>``  why (matching.REASONS)
- ``payments.via.<via>``        what tied a movement to its documents
- ``payments.bucket.<bucket>``  aged balance buckets (open_items.AGE_BUCKETS)
- ``payments.column.<column>``  headers of openstaand.xlsx (open_items.CSV_COLUMNS; the CSV keeps the codes)
- ``reminders.*``               reminder levels and their lines
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # --- open item states ----------------------------------------------------------------------
    "payments.state.open": {"nl": "Open", "fr": "Ouvert", "en": "Open"},
    "payments.state.partial": {"nl": "Gedeeltelijk betaald", "fr": "Payé partiellement", "en": "Partly paid"},
    "payments.state.paid": {"nl": "Betaald", "fr": "Payé", "en": "Paid"},
    "payments.state.overdue": {"nl": "Vervallen", "fr": "Échu", "en": "Overdue"},
    "payments.state.credited": {"nl": "Gecrediteerd", "fr": "Crédité", "en": "Credited"},
    # --- match outcomes ------------------------------------------------------------------------
    "payments.code.booked": {"nl": "Geboekt", "fr": "Comptabilisé", "en": "Booked"},
    "payments.code.suggestion": {"nl": "Voorstel (na te kijken)", "fr": "Suggestion (à vérifier)",
                                 "en": "Suggestion (to check)"},
    "payments.code.unmatched": {"nl": "Niet gekoppeld", "fr": "Non rapproché", "en": "Unmatched"},
    "payments.code.to-refund": {"nl": "Terug te betalen", "fr": "À rembourser", "en": "To refund"},
    "payments.code.credit-on-customer": {"nl": "Tegoed van de klant", "fr": "Avoir du client",
                                         "en": "Credit on the customer"},
    "payments.code.debit-ignored": {"nl": "Uitgaande betaling (genegeerd)", "fr": "Paiement sortant (ignoré)",
                                    "en": "Outgoing payment (ignored)"},
    # --- reasons -------------------------------------------------------------------------------
    "payments.reason.paid-in-full": {"nl": "Volledig betaald", "fr": "Payé intégralement", "en": "Paid in full"},
    "payments.reason.paid-in-part": {"nl": "Gedeeltelijk betaald; de rest blijft open",
                                     "fr": "Payé en partie ; le solde reste ouvert",
                                     "en": "Paid in part; the rest stays open"},
    "payments.reason.several-documents": {"nl": "Eén betaling voor meerdere documenten",
                                          "fr": "Un paiement pour plusieurs documents",
                                          "en": "One payment for several documents"},
    "payments.reason.overpaid": {"nl": "Meer betaald dan verschuldigd", "fr": "Payé plus que le montant dû",
                                 "en": "Paid more than was owed"},
    "payments.reason.already-paid": {"nl": "Het document was al betaald", "fr": "Le document était déjà payé",
                                     "en": "The document was already paid"},
    "payments.reason.credited": {"nl": "Het document is gecrediteerd", "fr": "Le document a été crédité",
                                 "en": "The document was credited"},
    "payments.reason.same-iban-and-amount": {
        "nl": "Zelfde rekening als een vorige betaling van de klant en precies het openstaande bedrag",
        "fr": "Même compte qu'un paiement précédent du client et exactement le montant ouvert",
        "en": "Same account as an earlier payment of the customer and exactly the open amount"},
    "payments.reason.several-documents-short": {
        "nl": "Meerdere documenten vermeld, maar het bedrag dekt ze niet allemaal",
        "fr": "Plusieurs documents mentionnés, mais le montant ne les couvre pas tous",
        "en": "Several documents named, but the amount does not cover them all"},
    "payments.reason.unknown-reference": {"nl": "Onbekende gestructureerde mededeling",
                                          "fr": "Communication structurée inconnue",
                                          "en": "Unknown structured reference"},
    "payments.reason.no-reference": {"nl": "Geen factuurnummer of gestructureerde mededeling gevonden",
                                     "fr": "Aucun numéro de facture ni communication structurée trouvé",
                                     "en": "No invoice number or structured reference found"},
    "payments.reason.zero-amount": {"nl": "Bedrag nul", "fr": "Montant nul", "en": "Zero amount"},
    "payments.reason.debit": {"nl": "Uitgaande betaling", "fr": "Paiement sortant", "en": "Outgoing payment"},
    # --- how a movement was tied to its documents ----------------------------------------------
    "payments.via.structured-reference": {"nl": "Gestructureerde mededeling", "fr": "Communication structurée",
                                          "en": "Structured reference"},
    "payments.via.communication": {"nl": "Vrije mededeling", "fr": "Communication libre",
                                   "en": "Free communication"},
    "payments.via.iban-and-amount": {"nl": "Rekening en bedrag", "fr": "Compte et montant",
                                     "en": "Account and amount"},
    # --- aged balance --------------------------------------------------------------------------
    "payments.bucket.not_due": {"nl": "Niet vervallen", "fr": "Non échu", "en": "Not due"},
    "payments.bucket.1-30": {"nl": "1–30 dagen", "fr": "1 à 30 jours", "en": "1–30 days"},
    "payments.bucket.31-60": {"nl": "31–60 dagen", "fr": "31 à 60 jours", "en": "31–60 days"},
    "payments.bucket.61-90": {"nl": "61–90 dagen", "fr": "61 à 90 jours", "en": "61–90 days"},
    "payments.bucket.over_90": {"nl": "Meer dan 90 dagen", "fr": "Plus de 90 jours", "en": "Over 90 days"},
    "payments.balance": {"nl": "Saldo", "fr": "Solde", "en": "Balance"},
    # --- openstaand.xlsx headers ---------------------------------------------------------------
    "payments.column.number": {"nl": "Nummer", "fr": "Numéro", "en": "Number"},
    "payments.column.customer_id": {"nl": "Klantnummer", "fr": "N° client", "en": "Customer number"},
    "payments.column.customer_name": {"nl": "Klant", "fr": "Client", "en": "Customer"},
    "payments.column.date": {"nl": "Datum", "fr": "Date", "en": "Date"},
    "payments.column.due_date": {"nl": "Vervaldatum", "fr": "Échéance", "en": "Due date"},
    "payments.column.total": {"nl": "Totaal", "fr": "Total", "en": "Total"},
    "payments.column.paid": {"nl": "Betaald", "fr": "Payé", "en": "Paid"},
    "payments.column.open": {"nl": "Open", "fr": "Ouvert", "en": "Open"},
    "payments.column.state": {"nl": "Status", "fr": "Statut", "en": "State"},
    "payments.column.days_overdue": {"nl": "Dagen vervallen", "fr": "Jours de retard", "en": "Days overdue"},
    # --- reminders -----------------------------------------------------------------------------
    "reminders.level.1": {"nl": "Herinnering", "fr": "Rappel", "en": "Reminder"},
    "reminders.level.2": {"nl": "Tweede herinnering", "fr": "Deuxième rappel", "en": "Second reminder"},
    "reminders.level.3": {"nl": "Ingebrekestelling", "fr": "Mise en demeure", "en": "Formal notice"},
    "reminders.interest": {
        "nl": "Verwijlintrest (wet van 2 augustus 2002), {days} dagen aan {rate} %",
        "fr": "Intérêts de retard (loi du 2 août 2002), {days} jours à {rate} %",
        "en": "Late-payment interest (law of 2 August 2002), {days} days at {rate} %"},
    "reminders.compensation": {
        "nl": "Forfaitaire schadevergoeding voor invorderingskosten",
        "fr": "Indemnité forfaitaire pour frais de recouvrement",
        "en": "Flat compensation for recovery costs"},
    "reminders.open": {"nl": "Openstaand bedrag", "fr": "Montant ouvert", "en": "Amount open"},
    "reminders.total": {"nl": "Te betalen", "fr": "À payer", "en": "To pay"},
    "payments.file.refused": {"nl": "geweigerd, niets ingelezen (zie hierboven)", "fr": "refusé, rien importé "
                              "(voir ci-dessus)", "en": "refused, nothing imported (see above)"},
    "payments.file.already": {"nl": "al ingelezen: niets gewijzigd", "fr": "déjà importé : rien de changé",
                              "en": "already imported: nothing changed"},
    "payments.file.known": {"nl": "al bekend uit een ander bestand", "fr": "déjà connus d'un autre fichier",
                            "en": "already known from another file"},
    "payments.file.movements": {"nl": "nieuwe bewegingen", "fr": "nouveaux mouvements", "en": "new movements"},
    "payments.summary": {"nl": "Openstaand: {open} €, {overdue} factuur/facturen vervallen → {folder}",
                         "fr": "Ouvert : {open} €, {overdue} facture(s) échue(s) → {folder}",
                         "en": "Open: €{open}, {overdue} invoice(s) overdue → {folder}"},
    "reminders.line": {"nl": "{number}  klant {customer}  niveau {level}  {documents}  te betalen {total} €",
                       "fr": "{number}  client {customer}  niveau {level}  {documents}  à payer {total} €",
                       "en": "{number}  customer {customer}  level {level}  {documents}  to pay €{total}"},
    "reminders.draft": {"nl": "(concept)", "fr": "(projet)", "en": "(draft)"},
    "reminders.none": {"nl": "Geen herinneringen: geen enkele factuur bereikte een nieuw niveau.",
                       "fr": "Aucun rappel : aucune facture n'a atteint un nouveau niveau.",
                       "en": "No reminders: no invoice reached a new level."},
    "reminders.folder": {"nl": "{n} herinnering(en) → {folder} (bijstand send verstuurt ze)",
                         "fr": "{n} rappel(s) → {folder} (bijstand send les envoie)",
                         "en": "{n} reminder(s) → {folder} (bijstand send delivers them)"},
}
