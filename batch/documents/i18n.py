"""The one translation table for every user-facing text on documents (nl, fr, en), and the
locale-aware formatting of money, dates and quantities (babel).

Every key exists in the three languages (a test checks it). An unknown language falls back
to Dutch, the house language:

>>> t("doc.invoice", "fr")
'Facture'
>>> t("doc.invoice", "de")
'Factuur'
>>> t("footer.page", "en")
'Page &P of &N'
>>> t("item.regie", "nl", id="I-1002")
'Interventie I-1002'
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from functools import lru_cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal

LANGUAGES = ("nl", "fr", "en")
DEFAULT_LANGUAGE = "nl"

# Babel locale per language. English invoices go to customers abroad: en_IE is the
# euro-zone English convention (€1,234.50); nl and fr follow Belgium (1.234,50 €).
LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_IE"}

# key -> {language -> text}. Texts may hold {placeholders} filled by t(..., **fmt).
TEXTS: dict[str, dict[str, str]] = {
    # --- document titles -------------------------------------------------------------------
    "doc.invoice": {"nl": "Factuur", "fr": "Facture", "en": "Invoice"},
    "doc.credit_note": {"nl": "Creditnota", "fr": "Note de crédit", "en": "Credit note"},
    "doc.draft": {"nl": "CONCEPT", "fr": "PROJET", "en": "DRAFT"},
    "doc.draft_note": {
        "nl": "Concept — geen geldige factuur, niet betalen",
        "fr": "Projet — pas une facture valable, ne pas payer",
        "en": "Draft — not a valid invoice, do not pay",
    },
    "doc.translation": {
        "nl": "Vertaling — de wettelijke versie van dit document is die in het {language}; "
              "alleen die versie is rechtsgeldig.",
        "fr": "Traduction — la version légale de ce document est celle en {language} ; "
              "seule cette version fait foi.",
        "en": "Translation — the legal version of this document is the one in {language}; "
              "only that version is legally binding.",
    },
    # --- header labels ---------------------------------------------------------------------
    "label.number": {"nl": "Nummer", "fr": "Numéro", "en": "Number"},
    "label.invoice_date": {"nl": "Factuurdatum", "fr": "Date de facture", "en": "Invoice date"},
    "label.credit_date": {"nl": "Datum creditnota", "fr": "Date de la note de crédit",
                          "en": "Credit note date"},
    "label.due_date": {"nl": "Vervaldatum", "fr": "Date d'échéance", "en": "Due date"},
    "label.customer_id": {"nl": "Klantnummer", "fr": "N° de client", "en": "Customer number"},
    "label.period": {"nl": "Periode", "fr": "Période", "en": "Period"},
    "label.agreement_period": {"nl": "Periode overeenkomst", "fr": "Période du contrat",
                               "en": "Agreement period"},
    "label.vat_number": {"nl": "Btw-nummer", "fr": "N° de TVA", "en": "VAT number"},
    "label.company_id": {"nl": "Ondernemingsnummer", "fr": "N° d'entreprise",
                         "en": "Enterprise number"},
    "label.iban": {"nl": "IBAN", "fr": "IBAN", "en": "IBAN"},
    "label.bic": {"nl": "BIC", "fr": "BIC", "en": "BIC"},
    "label.email": {"nl": "E-mail", "fr": "E-mail", "en": "E-mail"},
    "label.phone": {"nl": "Telefoon", "fr": "Téléphone", "en": "Phone"},
    "label.bill_to": {"nl": "Factuur aan", "fr": "Facturé à", "en": "Bill to"},
    "label.credit_to": {"nl": "Creditnota aan", "fr": "Note de crédit à", "en": "Credit note to"},
    "label.quarter": {"nl": "Kwartaal", "fr": "Trimestre", "en": "Quarter"},
    # --- lines table -----------------------------------------------------------------------
    "col.period_date": {"nl": "Periode / datum", "fr": "Période / date", "en": "Period / date"},
    "col.reference": {"nl": "Ref.", "fr": "Réf.", "en": "Ref."},
    "col.description": {"nl": "Omschrijving", "fr": "Description", "en": "Description"},
    "col.detail": {"nl": "Toelichting", "fr": "Précision", "en": "Details"},
    "col.quantity": {"nl": "Aantal", "fr": "Quantité", "en": "Quantity"},
    "col.unit_price": {"nl": "Prijs", "fr": "Prix", "en": "Price"},
    "col.amount": {"nl": "Bedrag", "fr": "Montant", "en": "Amount"},
    "col.date": {"nl": "Datum", "fr": "Date", "en": "Date"},
    "col.intervention": {"nl": "Interventie", "fr": "Intervention", "en": "Intervention"},
    "col.channel": {"nl": "Kanaal", "fr": "Canal", "en": "Channel"},
    "col.category": {"nl": "Soort", "fr": "Type", "en": "Kind"},
    "col.minutes": {"nl": "Duur", "fr": "Durée", "en": "Duration"},
    "section.fee": {"nl": "Bijstandsovereenkomst — maandbedragen",
                    "fr": "Contrat d'assistance — mensualités",
                    "en": "Support agreement — monthly fees"},
    "section.regie": {"nl": "Interventies in regie", "fr": "Interventions en régie",
                      "en": "Interventions at the time-and-materials rate"},
    "section.upgrade": {"nl": "Upgrade", "fr": "Mise à jour (upgrade)", "en": "Upgrade"},
    "kind.fee": {"nl": "Maandbedrag", "fr": "Mensualité", "en": "Monthly fee"},
    "kind.regie": {"nl": "Regie", "fr": "Régie", "en": "Time and materials"},
    "kind.upgrade": {"nl": "Upgrade", "fr": "Mise à jour", "en": "Upgrade"},
    # item names, also used by the UBL file
    "item.fee": {"nl": "Bijstandsovereenkomst {module}", "fr": "Contrat d'assistance {module}",
                 "en": "Support agreement {module}"},
    "item.regie": {"nl": "Interventie {id}", "fr": "Intervention {id}", "en": "Intervention {id}"},
    "item.upgrade": {"nl": "Upgrade van het pakket", "fr": "Mise à jour du logiciel",
                     "en": "Package upgrade"},
    "unit.month": {"nl": "maand", "fr": "mois", "en": "month"},
    "unit.months": {"nl": "maanden", "fr": "mois", "en": "months"},
    "unit.per_month": {"nl": "/maand", "fr": "/mois", "en": "/month"},
    "unit.per_hour": {"nl": "/uur", "fr": "/heure", "en": "/hour"},
    "unit.min": {"nl": "min", "fr": "min", "en": "min"},
    "fee.partial": {"nl": "{days}/{days_in_month} dagen", "fr": "{days}/{days_in_month} jours",
                    "en": "{days}/{days_in_month} days"},
    "fee.quantity": {"nl": "{months} × {quantity}", "fr": "{months} × {quantity}",
                     "en": "{months} × {quantity}"},
    "regie.minutes": {"nl": "{minutes} → {billed} min", "fr": "{minutes} → {billed} min",
                      "en": "{minutes} → {billed} min"},
    "upgrade.formula": {
        "nl": "{value} × {months} {unit} ÷ 60",
        "fr": "{value} × {months} {unit} ÷ 60",
        "en": "{value} × {months} {unit} ÷ 60",
    },
    "upgrade.detail": {
        "nl": "1/60 van de licentiewaarde per maand zonder overeenkomst",
        "fr": "1/60 de la valeur des licences par mois sans contrat",
        "en": "1/60 of the licence value per month without agreement",
    },
    "upgrade.period": {
        "nl": "periode {period}: {months} {unit}",
        "fr": "période {period} : {months} {unit}",
        "en": "period {period}: {months} {unit}",
    },
    # --- channels (batch.model.CHANNELS) ---------------------------------------------------
    "channel.telefoon": {"nl": "telefoon", "fr": "téléphone", "en": "phone"},
    "channel.internet": {"nl": "internet", "fr": "internet", "en": "remote"},
    "channel.ter plaatse": {"nl": "ter plaatse", "fr": "sur place", "en": "on site"},
    # --- categories (batch.model.CATEGORIES) -----------------------------------------------
    "category.vraag": {"nl": "vraag over het pakket", "fr": "question sur le logiciel",
                       "en": "question about the package"},
    "category.opleiding": {"nl": "opleiding", "fr": "formation", "en": "training"},
    "category.upgrade": {"nl": "upgrade", "fr": "mise à jour", "en": "upgrade"},
    "category.parameters": {"nl": "parameters", "fr": "paramétrage", "en": "settings"},
    "category.online": {"nl": "online houden", "fr": "maintien en ligne", "en": "hosting"},
    "category.verbinding": {"nl": "verbinding", "fr": "connexion", "en": "connection"},
    "category.herinstallatie": {"nl": "herinstallatie", "fr": "réinstallation",
                                "en": "reinstallation"},
    "category.pc-probleem": {"nl": "pc-probleem", "fr": "problème de PC", "en": "PC problem"},
    "category.virus": {"nl": "virus", "fr": "virus", "en": "virus"},
    "category.spyware": {"nl": "spyware", "fr": "logiciel espion", "en": "spyware"},
    "category.internetprobleem": {"nl": "internetprobleem", "fr": "problème internet",
                                  "en": "internet problem"},
    "category.externe-oorzaak": {"nl": "externe oorzaak", "fr": "cause externe",
                                 "en": "external cause"},
    # --- why an intervention is billable (InvoiceLine.reason) ------------------------------
    "reason.not-covered": {"nl": "niet gedekt door de overeenkomst",
                           "fr": "non couvert par le contrat",
                           "en": "not covered by the agreement"},
    "reason.holiday-phone": {"nl": "telefoon tijdens verlofperiode",
                             "fr": "téléphone pendant les congés",
                             "en": "phone during a holiday period"},
    "reason.no-agreement": {"nl": "geen bijstandsovereenkomst", "fr": "pas de contrat d'assistance",
                            "en": "no support agreement"},
    "reason.cancelled": {"nl": "overeenkomst opgezegd", "fr": "contrat résilié",
                         "en": "agreement cancelled"},
    "reason.not-started": {"nl": "overeenkomst nog niet gestart", "fr": "contrat pas encore commencé",
                           "en": "agreement not yet started"},
    # --- totals ----------------------------------------------------------------------------
    "total.vat_base": {"nl": "Maatstaf van heffing", "fr": "Base imposable", "en": "Taxable amount"},
    "total.vat_category": {"nl": "Btw-categorie", "fr": "Catégorie TVA", "en": "VAT category"},
    "total.vat_rate": {"nl": "Btw-tarief", "fr": "Taux TVA", "en": "VAT rate"},
    "total.vat": {"nl": "Btw", "fr": "TVA", "en": "VAT"},
    "total.net": {"nl": "Totaal excl. btw", "fr": "Total hors TVA", "en": "Total excl. VAT"},
    "total.to_pay": {"nl": "Totaal te betalen", "fr": "Total à payer", "en": "Total to pay"},
    "total.credited": {"nl": "Totaal gecrediteerd", "fr": "Total crédité", "en": "Total credited"},
    "vat.category.S": {"nl": "standaardtarief", "fr": "taux normal", "en": "standard rate"},
    "vat.category.AE": {"nl": "btw verlegd", "fr": "autoliquidation", "en": "reverse charge"},
    "vat.category.G": {"nl": "uitvoer", "fr": "exportation", "en": "export"},
    "vat.category.O": {"nl": "niet onderworpen", "fr": "non soumis", "en": "not subject to VAT"},
    # --- legal mentions --------------------------------------------------------------------
    "mention.reverse_charge": {
        "nl": "Btw verlegd — verlegging van heffing, art. 196 Richtlijn 2006/112/EG (art. 21, § 2 WBTW)",
        "fr": "Autoliquidation — art. 196 Directive 2006/112/CE (art. 21, § 2 Code TVA)",
        "en": "Reverse charge — Article 196 Council Directive 2006/112/EC",
    },
    "mention.outside_eu": {
        "nl": "Niet onderworpen aan Belgische btw — art. 21, § 2 WBTW (dienst buiten de EU)",
        "fr": "Non soumis à la TVA belge — art. 21, § 2 Code TVA (service hors UE)",
        "en": "Not subject to Belgian VAT — art. 21, § 2 Belgian VAT Code (service outside the EU)",
    },
    "mention.vat_repayment": {
        "nl": "Btw terug te storten aan de Staat in de mate waarin ze oorspronkelijk in aftrek werd gebracht",
        "fr": "TVA à reverser à l'État dans la mesure où elle a été initialement déduite",
        "en": "VAT to be repaid to the State to the extent that it was initially deducted",
    },
    "credit.refers_to": {
        "nl": "Creditnota voor factuur {number} van {date}",
        "fr": "Note de crédit pour la facture {number} du {date}",
        "en": "Credit note for invoice {number} of {date}",
    },
    "credit.reason": {"nl": "Reden: {reason}", "fr": "Motif : {reason}", "en": "Reason: {reason}"},
    "credit.no_payment": {
        "nl": "Niet betalen: dit bedrag wordt verrekend of terugbetaald.",
        "fr": "Ne pas payer : ce montant sera imputé ou remboursé.",
        "en": "Do not pay: this amount will be offset or refunded.",
    },
    # --- payment ---------------------------------------------------------------------------
    "pay.title": {"nl": "Betaling", "fr": "Paiement", "en": "Payment"},
    "pay.instruction": {
        "nl": "Gelieve {amount} te betalen vóór {due} op rekening {iban} (BIC {bic}).",
        "fr": "Veuillez payer {amount} avant le {due} sur le compte {iban} (BIC {bic}).",
        "en": "Please pay {amount} by {due} to account {iban} (BIC {bic}).",
    },
    "pay.reference": {"nl": "Gestructureerde mededeling", "fr": "Communication structurée",
                      "en": "Structured reference"},
    "pay.scan": {"nl": "Scan om te betalen", "fr": "Scannez pour payer", "en": "Scan to pay"},
    # --- appendix --------------------------------------------------------------------------
    "appendix.title": {"nl": "Inbegrepen in uw bijstandsovereenkomst",
                       "fr": "Compris dans votre contrat d'assistance",
                       "en": "Included in your support agreement"},
    "appendix.note": {
        "nl": "Deze interventies vallen onder uw overeenkomst en worden niet aangerekend.",
        "fr": "Ces interventions sont couvertes par votre contrat et ne sont pas facturées.",
        "en": "These interventions are covered by your agreement and are not charged.",
    },
    # --- footer (xlsxwriter header/footer codes: &P page, &N pages) ------------------------
    "footer.page": {"nl": "Pagina &P van &N", "fr": "Page &P de &N", "en": "Page &P of &N"},
}


def language(lang: str | None) -> str:
    """The language to use: ``lang`` if supported, else Dutch.

    >>> language("FR"), language("de"), language(None)
    ('fr', 'nl', 'nl')
    """
    code = (lang or "").strip().lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str, **fmt: object) -> str:
    """The text for ``key`` in ``lang`` (unknown language → Dutch), formatted with ``fmt``.

    An unknown key is a programming error and raises KeyError.
    """
    text = TEXTS[key][language(lang)]
    return text.format(**fmt) if fmt else text


def _lookup(prefix: str, code: str | None, lang: str) -> str:
    if not code:
        return ""
    entry = TEXTS.get(f"{prefix}.{code}")
    return entry[language(lang)] if entry else code


def channel_name(code: str | None, lang: str) -> str:
    """Channel in the reader's language; an unknown code is shown as is.

    >>> channel_name("telefoon", "fr"), channel_name("fax", "fr")
    ('téléphone', 'fax')
    """
    return _lookup("channel", code, lang)


def category_name(code: str | None, lang: str) -> str:
    """Kind of intervention (soort) in the reader's language.

    >>> category_name("pc-probleem", "en")
    'PC problem'
    """
    return _lookup("category", code, lang)


def reason_text(code: str | None, lang: str) -> str:
    """Why an intervention is billable (InvoiceLine.reason).

    >>> reason_text("holiday-phone", "nl")
    'telefoon tijdens verlofperiode'
    """
    return _lookup("reason", code, lang)


def locale_of(lang: str) -> str:
    """Babel locale of a language.

    >>> locale_of("fr"), locale_of("xx")
    ('fr_BE', 'nl_BE')
    """
    return LOCALES[language(lang)]


@lru_cache(maxsize=65536)  # thousands of invoices repeat the same amounts and dates
def format_money(amount: Decimal, lang: str) -> str:
    """An amount in euro for the reader (exact: the Decimal is never made a float).

    >>> format_money(Decimal("1234.5"), "nl")
    '1.234,50\\xa0€'
    >>> format_money(Decimal("-18.75"), "fr"), format_money(Decimal("10772.03"), "fr")
    ('-18,75\\xa0€', '10.772,03\\xa0€')
    >>> format_money(Decimal("1234.5"), "en")
    '€1,234.50'
    """
    lang = language(lang)
    if lang == "en":
        return format_currency(amount, "EUR", locale=locale_of(lang))
    # Belgian usage in both languages: the sign after the amount (CLDR nl puts it first) and a
    # dot between thousands (CLDR fr_BE has a narrow space) — what the workbook's cells show too.
    return format_currency(amount, "EUR", format="#,##0.00\xa0¤", locale=LOCALES["nl"],
                           currency_digits=False)


@lru_cache(maxsize=65536)
def format_date(day: date, lang: str, long: bool = False) -> str:
    """A date for the reader: dd/mm/yyyy in every language, or spelled out with ``long``.

    >>> format_date(date(2027, 1, 5), "en")
    '05/01/2027'
    >>> format_date(date(2027, 1, 5), "nl", long=True)
    '5 januari 2027'
    >>> format_date(date(2027, 1, 5), "fr", long=True)
    '5 janvier 2027'
    """
    return _babel_date(day, "long" if long else "dd/MM/yyyy", locale=locale_of(lang))


def format_period(start: date, end: date, lang: str) -> str:
    """A date range, both ends included.

    >>> format_period(date(2027, 1, 1), date(2027, 3, 31), "nl")
    '01/01/2027–31/03/2027'
    """
    return f"{format_date(start, lang)}–{format_date(end, lang)}"


def format_quantity(quantity: Decimal | int, lang: str) -> str:
    """A quantity without useless decimals (at most 4).

    >>> format_quantity(Decimal("3"), "nl"), format_quantity(Decimal("0.25"), "nl")
    ('3', '0,25')
    >>> format_quantity(Decimal("1234.5"), "en")
    '1,234.5'
    """
    return format_decimal(quantity, format="#,##0.####", locale=locale_of(lang))


def language_name(code: str, lang: str) -> str:
    """The name of language ``code`` in language ``lang``.

    >>> language_name("nl", "fr"), language_name("fr", "nl"), language_name("nl", "en")
    ('néerlandais', 'Frans', 'Dutch')
    """
    return Locale.parse(locale_of(lang)).languages.get(code, code)


def country_name(code: str | None, lang: str) -> str:
    """Country name for an ISO 3166 code, in the reader's language.

    >>> country_name("FR", "nl"), country_name("GB", "fr")
    ('Frankrijk', 'Royaume-Uni')
    """
    if not code:
        return ""
    return Locale.parse(locale_of(lang)).territories.get(code.upper(), code)
