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
    "payments.column.to_refund": {"nl": "Terug te betalen", "fr": "À rembourser", "en": "To refund"},
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
    "payments.file.known.one": {"nl": "{n} al bekend uit een ander bestand", "fr": "{n} déjà connu d'un autre fichier",
                                "en": "{n} already known from another file"},
    "payments.file.known.other": {"nl": "{n} al bekend uit een ander bestand",
                                  "fr": "{n} déjà connus d'un autre fichier",
                                  "en": "{n} already known from another file"},
    "payments.file.movements.one": {"nl": "{n} nieuwe beweging", "fr": "{n} nouveau mouvement",
                                    "en": "{n} new movement"},
    "payments.file.movements.other": {"nl": "{n} nieuwe bewegingen", "fr": "{n} nouveaux mouvements",
                                      "en": "{n} new movements"},
    "payments.summary.one": {"nl": "Openstaand: {open} €, {n} factuur over de vervaldag → {folder}",
                             "fr": "Ouvert : {open} €, {n} facture échue → {folder}",
                             "en": "Open: €{open}, {n} invoice overdue → {folder}"},
    "payments.summary.other": {"nl": "Openstaand: {open} €, {n} facturen over de vervaldag → {folder}",
                               "fr": "Ouvert : {open} €, {n} factures échues → {folder}",
                               "en": "Open: €{open}, {n} invoices overdue → {folder}"},
    "payments.demo.one": {"nl": "betalingen ({day}): {files} uittreksels, {movements} bewegingen; {n} factuur over "
                                "de vervaldag → {folder}",
                          "fr": "paiements ({day}) : {files} extraits, {movements} mouvements ; {n} facture échue "
                                "→ {folder}",
                          "en": "payments ({day}): {files} statement files, {movements} movements; {n} invoice "
                                "overdue → {folder}"},
    "payments.demo.other": {"nl": "betalingen ({day}): {files} uittreksels, {movements} bewegingen; {n} facturen "
                                  "over de vervaldag → {folder}",
                            "fr": "paiements ({day}) : {files} extraits, {movements} mouvements ; {n} factures "
                                  "échues → {folder}",
                            "en": "payments ({day}): {files} statement files, {movements} movements; {n} invoices "
                                  "overdue → {folder}"},
    "reminders.demo.one": {"nl": "herinneringen ({day}): {n} herinnering, {levels} → {folder}",
                           "fr": "rappels ({day}) : {n} rappel, {levels} → {folder}",
                           "en": "reminders ({day}): {n} reminder, {levels} → {folder}"},
    "reminders.demo.other": {"nl": "herinneringen ({day}): {n} herinneringen, {levels} → {folder}",
                             "fr": "rappels ({day}) : {n} rappels, {levels} → {folder}",
                             "en": "reminders ({day}): {n} reminders, {levels} → {folder}"},
    "reminders.levels.one": {"nl": "niveau {levels}", "fr": "niveau {levels}", "en": "level {levels}"},
    "reminders.levels.other": {"nl": "niveaus {levels}", "fr": "niveaux {levels}", "en": "levels {levels}"},
    "reminders.and": {"nl": " en ", "fr": " et ", "en": " and "},
    "reminders.line": {"nl": "{number}  klant {customer}  niveau {level}  {documents}  te betalen {total} €",
                       "fr": "{number}  client {customer}  niveau {level}  {documents}  à payer {total} €",
                       "en": "{number}  customer {customer}  level {level}  {documents}  to pay €{total}"},
    "reminders.draft": {"nl": "(concept)", "fr": "(projet)", "en": "(draft)"},
    "reminders.none": {"nl": "Geen herinneringen: geen enkele factuur bereikte een nieuw niveau.",
                       "fr": "Aucun rappel : aucune facture n'a atteint un nouveau niveau.",
                       "en": "No reminders: no invoice reached a new level."},
    "reminders.folder.one": {"nl": "{n} herinnering → {folder} (bijstand send verstuurt ze)",
                             "fr": "{n} rappel → {folder} (bijstand send l'envoie)",
                             "en": "{n} reminder → {folder} (bijstand send delivers it)"},
    "reminders.folder.other": {"nl": "{n} herinneringen → {folder} (bijstand send verstuurt ze)",
                               "fr": "{n} rappels → {folder} (bijstand send les envoie)",
                               "en": "{n} reminders → {folder} (bijstand send delivers them)"},
}

# --- the statement reader's problems (batch.payments.statements), keys "statement.*" ----------------
# ``{line}`` is a line of the file, ``{where}`` an XML path, ``{label}`` a camt statement
# (statement.label); amounts are written as the file gives them (1250.47).
TEXTS.update({
    "statement.unreadable": {"nl": "het bestand kan niet gelezen worden ({error})",
                             "fr": "le fichier ne peut pas être lu ({error})",
                             "en": "the file cannot be read ({error})"},
    "statement.format": {
        "nl": "dit is geen CODA-bestand (records van 128 tekens, beginnend met record 0) en geen camt.053-"
              "rekeninguittreksel in XML",
        "fr": "ce n'est ni un fichier CODA (enregistrements de 128 caractères commençant par l'enregistrement 0) "
              "ni un extrait de compte camt.053 en XML",
        "en": "this is neither a CODA file (128-character records starting with record 0) nor a camt.053 XML "
              "statement"},
    "statement.internal": {"nl": "het bestand kon niet gelezen worden ({error})",
                           "fr": "le fichier n'a pas pu être lu ({error})",
                           "en": "the file could not be read ({error})"},
    "statement.duplicate": {"nl": "de beweging {key} staat twee keer in dit bestand ({first} en {second})",
                            "fr": "le mouvement {key} figure deux fois dans ce fichier ({first} et {second})",
                            "en": "the movement {key} occurs twice in this file ({first} and {second})"},
    "statement.record.0": {"nl": "0 (begin)", "fr": "0 (en-tête)", "en": "0 (header)"},
    "statement.record.1": {"nl": "1 (oud saldo)", "fr": "1 (ancien solde)", "en": "1 (old balance)"},
    "statement.record.4": {"nl": "4 (vrije mededeling)", "fr": "4 (communication libre)",
                           "en": "4 (free communication)"},
    "statement.record.8": {"nl": "8 (nieuw saldo)", "fr": "8 (nouveau solde)", "en": "8 (new balance)"},
    "statement.record.9": {"nl": "9 (einde)", "fr": "9 (fin)", "en": "9 (trailer)"},
    # CODA
    "statement.coda.record_length": {
        "nl": "regel {line}: een CODA-record heeft {expected} tekens, dit {length}",
        "fr": "ligne {line} : un enregistrement CODA a {expected} caractères, celui-ci {length}",
        "en": "line {line}: a CODA record has {expected} characters, this one {length}"},
    "statement.coda.record": {
        "nl": "regel {line} (record {record}): de CODA-lezer kan dit record niet lezen{detail}",
        "fr": "ligne {line} (enregistrement {record}) : le lecteur CODA ne peut pas lire cet enregistrement{detail}",
        "en": "line {line} (record {record}): the CODA reader could not read this record{detail}"},
    "statement.coda.statements": {
        "nl": "de CODA-lezer vond {found} uittreksels, de records {expected}",
        "fr": "le lecteur CODA a trouvé {found} extraits, les enregistrements {expected}",
        "en": "the CODA reader found {found} statements, the records {expected}"},
    "statement.coda.new_before_end": {
        "nl": "regel {line}: een nieuw uittreksel (record 0) begint voor het vorige eindigde met record 9",
        "fr": "ligne {line} : un nouvel extrait (enregistrement 0) commence avant que le précédent se termine "
              "par l'enregistrement 9",
        "en": "line {line}: a new statement (record 0) starts before the previous one ended with record 9"},
    "statement.coda.version": {
        "nl": "regel {line}: CODA-versie {version} wordt niet ondersteund, alleen versie 2",
        "fr": "ligne {line} : la version CODA {version} n'est pas prise en charge, seulement la version 2",
        "en": "line {line}: CODA version {version} is not supported, only version 2"},
    "statement.coda.order": {"nl": "regel {line}: record {record} staat niet op zijn plaats",
                             "fr": "ligne {line} : l'enregistrement {record} n'est pas à sa place",
                             "en": "line {line}: record {record} out of place"},
    "statement.coda.record_type": {"nl": "regel {line}: onbekend recordtype {kind}",
                                   "fr": "ligne {line} : type d'enregistrement inconnu {kind}",
                                   "en": "line {line}: unknown record type {kind}"},
    "statement.coda.amount": {"nl": "regel {line}: record {record} bevat een bedrag dat geen getal is",
                              "fr": "ligne {line} : l'enregistrement {record} contient un montant qui n'est pas "
                                    "un nombre",
                              "en": "line {line}: record {record} holds an amount that is not a number"},
    "statement.coda.truncated": {
        "nl": "regel {line}: het bestand eindigt voor het einde van het uittreksel (record 9)",
        "fr": "ligne {line} : le fichier se termine avant la fin de l'extrait (enregistrement 9)",
        "en": "line {line}: the file ends before the statement's trailer (record 9)"},
    "statement.coda.empty": {"nl": "regel {line}: het bestand bevat geen uittreksel",
                             "fr": "ligne {line} : le fichier ne contient aucun extrait",
                             "en": "line {line}: the file holds no statement"},
    "statement.coda.statement": {"nl": "uittreksel {number} (regels {first}–{last})",
                                 "fr": "extrait {number} (lignes {first}–{last})",
                                 "en": "statement {number} (lines {first}–{last})"},
    "statement.coda.record_count": {
        "nl": "regel {line} (record 9): {statement} heeft {records} records, het einderecord zegt {said}",
        "fr": "ligne {line} (enregistrement 9) : {statement} a {records} enregistrements, l'enregistrement de "
              "fin indique {said}",
        "en": "line {line} (record 9): {statement} has {records} records, the trailer says {said}"},
    "statement.coda.nothing": {"nl": "niets", "fr": "rien", "en": "nothing"},
    "statement.coda.trailer_totals": {
        "nl": "regel {line} (record 9): {statement} heeft debet {debit} en credit {credit}, het einderecord zegt "
              "debet {said_debit} en credit {said_credit}",
        "fr": "ligne {line} (enregistrement 9) : {statement} a des débits de {debit} et des crédits de {credit}, "
              "l'enregistrement de fin indique des débits de {said_debit} et des crédits de {said_credit}",
        "en": "line {line} (record 9): {statement} has debits {debit} and credits {credit}, the trailer says "
              "debits {said_debit} and credits {said_credit}"},
    "statement.coda.balance": {
        "nl": "regel {line} (record 9): {statement} klopt niet: oud saldo {old} + credit {credit} − debet {debit} "
              "= {computed}, maar het nieuwe saldo is {new}",
        "fr": "ligne {line} (enregistrement 9) : {statement} ne correspond pas : ancien solde {old} + crédits "
              "{credit} − débits {debit} = {computed}, mais le nouveau solde est {new}",
        "en": "line {line} (record 9): {statement} does not add up: old balance {old} + credits {credit} − "
              "debits {debit} = {computed}, but the new balance is {new}"},
    "statement.coda.structured_invalid": {
        "nl": "regel {line}: de gestructureerde mededeling {digits} heeft foute controlecijfers; ze wordt als vrije "
              "mededeling gelezen",
        "fr": "ligne {line} : la communication structurée {digits} a des chiffres de contrôle erronés ; elle est "
              "lue comme communication libre",
        "en": "line {line}: the structured reference {digits} fails its check digits; it is treated as free text"},
    # camt.053
    "statement.camt.xml": {"nl": "regel {line}: geen geldige XML ({error})",
                           "fr": "ligne {line} : XML mal formé ({error})",
                           "en": "line {line}: not well-formed XML ({error})"},
    "statement.camt.kind": {"nl": "deze XML is geen camt.053-rekeninguittreksel (hoofdelement {root})",
                            "fr": "ce XML n'est pas un extrait de compte camt.053 (élément racine {root})",
                            "en": "this XML is not a camt.053 bank statement (root element {root})"},
    "statement.camt.empty": {"nl": "het camt.053-bestand bevat geen uittreksel (Stmt)",
                             "fr": "le fichier camt.053 ne contient aucun extrait (Stmt)",
                             "en": "the camt.053 file holds no statement (Stmt)"},
    "statement.camt.label": {"nl": "uittreksel {number} ({where})", "fr": "extrait {number} ({where})",
                             "en": "statement {number} ({where})"},
    "statement.camt.account": {"nl": "{label} vermeldt geen rekening (Acct/Id)",
                               "fr": "{label} ne mentionne aucun compte (Acct/Id)",
                               "en": "{label} names no account (Acct/Id)"},
    "statement.camt.balance_amount": {"nl": "{label}: saldo {code} heeft geen geldig bedrag",
                                      "fr": "{label} : le solde {code} n'a pas de montant valable",
                                      "en": "{label}: balance {code} has no valid amount"},
    "statement.camt.balances": {"nl": "{label} mist zijn {missing}", "fr": "{label} n'a pas de {missing}",
                                "en": "{label} lacks its {missing}"},
    "statement.camt.opening": {"nl": "beginsaldo (OPBD)", "fr": "solde d'ouverture (OPBD)",
                               "en": "opening balance (OPBD)"},
    "statement.camt.closing": {"nl": "eindsaldo (CLBD)", "fr": "solde de clôture (CLBD)",
                               "en": "closing balance (CLBD)"},
    "statement.camt.and": {"nl": " en ", "fr": " et ", "en": " and "},
    "statement.camt.entry_amount": {"nl": "{where}: de boeking heeft geen geldig bedrag",
                                    "fr": "{where} : l'écriture n'a pas de montant valable",
                                    "en": "{where}: the entry has no valid amount"},
    "statement.camt.indicator": {"nl": "{where}: credit of debet (CdtDbtInd) ontbreekt",
                                 "fr": "{where} : crédit ou débit (CdtDbtInd) manque",
                                 "en": "{where}: credit or debit (CdtDbtInd) is missing"},
    "statement.camt.not_booked": {
        "nl": "{where}: boeking met status {status} (niet geboekt) wordt overgeslagen",
        "fr": "{where} : écriture au statut {status} (non comptabilisée) ignorée",
        "en": "{where}: entry with status {status} (not booked) is skipped"},
    "statement.camt.no_reference": {
        "nl": "{where}: de boeking heeft geen referentie (AcctSvcrRef of NtryRef); ze heet {reference}, waaraan "
              "alleen hetzelfde bestand herkend wordt",
        "fr": "{where} : l'écriture n'a pas de référence (AcctSvcrRef ou NtryRef) ; elle est appelée {reference}, "
              "qui ne reconnaît que ce même fichier",
        "en": "{where}: the entry has no reference (AcctSvcrRef or NtryRef); it is known as {reference}, which "
              "only recognises this same file again"},
    "statement.camt.structure": {
        "nl": "{where}: de camt.053-lezer kan deze boeking niet lezen ({error})",
        "fr": "{where} : le lecteur camt.053 ne peut pas lire cette écriture ({error})",
        "en": "{where}: the camt.053 reader could not read this entry ({error})"},
    "statement.camt.balance": {
        "nl": "{label} klopt niet: beginsaldo {opening} + geboekte bewegingen {booked} = {computed}, maar het "
              "eindsaldo is {closing}",
        "fr": "{label} ne correspond pas : solde d'ouverture {opening} + écritures comptabilisées {booked} = "
              "{computed}, mais le solde de clôture est {closing}",
        "en": "{label} does not add up: opening balance {opening} + booked entries {booked} = {computed}, but the "
              "closing balance is {closing}"},
    "statement.camt.summary_count": {
        "nl": "{label} heeft {count} boekingen in {part}, zijn samenvatting (TxsSummry) zegt {said}",
        "fr": "{label} a {count} écritures dans {part}, son résumé (TxsSummry) indique {said}",
        "en": "{label} has {count} entries in {part}, its summary (TxsSummry) says {said}"},
    "statement.camt.summary_sum": {
        "nl": "{label}: {part} komen samen op {total}, zijn samenvatting (TxsSummry) zegt {said}",
        "fr": "{label} : {part} totalisent {total}, son résumé (TxsSummry) indique {said}",
        "en": "{label}: the {part} add up to {total}, its summary (TxsSummry) says {said}"},
    "statement.camt.batch": {
        "nl": "{where}: de {n} transacties van deze verzamelboeking komen niet op haar bedrag; de boeking wordt "
              "als één beweging gelezen",
        "fr": "{where} : les {n} transactions de cette écriture groupée ne totalisent pas son montant ; "
              "l'écriture est lue comme un seul mouvement",
        "en": "{where}: the {n} transactions of this batch entry do not add up to its amount; the entry is taken "
              "as one movement"},
    # how to fix
    "statement.fix.unreadable": {"nl": "controleer dat het bestaat en niet open staat in een ander programma",
                                 "fr": "vérifiez qu'il existe et qu'il n'est pas ouvert dans un autre programme",
                                 "en": "check that it exists and is not open in another program"},
    "statement.fix.format": {
        "nl": "download het uittreksel opnieuw bij de bank als CODA of als camt.053 (XML), of haal het bestand "
              "uit de map bank",
        "fr": "téléchargez à nouveau l'extrait auprès de la banque en CODA ou en camt.053 (XML), ou retirez le "
              "fichier du dossier bank",
        "en": "download the statement from the bank again as CODA or as camt.053 (XML), or move the file out of "
              "the bank folder"},
    "statement.fix.support": {"nl": "stuur het bestand naar de ondersteuning", "fr": "envoyez le fichier au support",
                              "en": "send the file to support"},
    "statement.fix.coda_again": {"nl": "download het CODA-bestand opnieuw bij de bank",
                                 "fr": "téléchargez à nouveau le fichier CODA auprès de la banque",
                                 "en": "download the CODA file again from the bank"},
    "statement.fix.coda_editor": {
        "nl": "download het CODA-bestand opnieuw bij de bank; open en bewaar het niet in een teksteditor",
        "fr": "téléchargez à nouveau le fichier CODA auprès de la banque ; ne l'ouvrez et ne l'enregistrez pas "
              "dans un éditeur de texte",
        "en": "download the CODA file again from the bank; do not open and save it in a text editor"},
    "statement.fix.coda_version": {"nl": "vraag de bank CODA versie 2 (de standaard sinds 2008)",
                                   "fr": "demandez à la banque le CODA version 2 (le standard depuis 2008)",
                                   "en": "ask the bank for CODA version 2 (the standard since 2008)"},
    "statement.fix.coda_cut": {
        "nl": "de download werd afgebroken: download het CODA-bestand opnieuw bij de bank",
        "fr": "le téléchargement a été interrompu : téléchargez à nouveau le fichier CODA auprès de la banque",
        "en": "the download was cut off: download the CODA file again from the bank"},
    "statement.fix.coda_damaged": {
        "nl": "het bestand is beschadigd of werd bewerkt: download het CODA-bestand opnieuw bij de bank",
        "fr": "le fichier est endommagé ou a été modifié : téléchargez à nouveau le fichier CODA auprès de la "
              "banque",
        "en": "the file is damaged or was edited: download the CODA file again from the bank"},
    "statement.fix.again": {"nl": "download het uittreksel opnieuw bij de bank",
                            "fr": "téléchargez à nouveau l'extrait auprès de la banque",
                            "en": "download the statement from the bank again"},
    "statement.fix.camt_damaged": {
        "nl": "het bestand is beschadigd of werd bewerkt: download het uittreksel opnieuw bij de bank",
        "fr": "le fichier est endommagé ou a été modifié : téléchargez à nouveau l'extrait auprès de la banque",
        "en": "the file is damaged or was edited: download the statement from the bank again"},
    "statement.fix.camt_kind": {
        "nl": "download het rekeninguittreksel als camt.053 (niet camt.052 of camt.054)",
        "fr": "téléchargez l'extrait de compte en camt.053 (pas camt.052 ni camt.054)",
        "en": "download the account statement as camt.053 (not camt.052 or camt.054)"},
    # bijstand payments
    "payments.missing": {
        "nl": "{path} bestaat niet — geef een uittreksel of een map (standaard: {bank}/)",
        "fr": "{path} n'existe pas — donnez un extrait ou un dossier (par défaut : {bank}/)",
        "en": "{path} does not exist — give a statement file or a folder (default: {bank}/)"},
})


def plural(key: str, language: str, n: int, /, **values: object) -> str:
    """``key.one`` or ``key.other`` by ``n`` (French counts 0 as one), filled in with ``n``.

    >>> plural("reminders.levels", "nl", 2, levels="1 en 3"), plural("reminders.folder", "fr", 0, folder="x")
    ('niveaus 1 en 3', "0 rappel → x (bijstand send l'envoie)")
    """
    one = n == 1 or (language == "fr" and n == 0)
    return text(f"{key}.{'one' if one else 'other'}", language, n=n, **values)


def joined(items: list[str], language: str) -> str:
    """``1``, ``1 en 3``, ``1, 2 en 3`` (fr ``et``, en ``and``).

    >>> joined(["1", "2", "3"], "nl"), joined(["1", "3"], "en"), joined(["2"], "fr")
    ('1, 2 en 3', '1 and 3', '2')
    """
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + text("reminders.and", language) + items[-1]


def text(key: str, language: str, /, **values: object) -> str:
    """The text ``key`` in ``language`` (Dutch when that language has none), filled in.

    >>> text("statement.coda.order", "fr", line=5, record="8")
    "ligne 5 : l'enregistrement 8 n'est pas à sa place"
    """
    entry = TEXTS[key]
    template = entry.get(language) or entry["nl"]
    return template.format(**values) if values else template
