"""Texts of the accountant's VAT period (SPEC §10): the workbook ``btw-aangifte.xlsx`` and the
problems :mod:`batch.vat_period` reports. One table, ``TEXTS = {key: {"nl", "fr", "en"}}``, to be
merged into :mod:`batch.documents.i18n`; :func:`t` looks a key up, Dutch when a language is
missing. Sheet names stay Dutch (the accountant's vocabulary) and are not here.

>>> t("vat.title", "fr", period="2027Q1")
'Déclaration TVA 2027Q1'
>>> t("vat.title", "de", period="2027-01")
'Btw-aangifte 2027-01'
"""

from __future__ import annotations

LANGUAGES = ("nl", "fr", "en")

TEXTS: dict[str, dict[str, str]] = {
    # --- titles -----------------------------------------------------------------------------
    "vat.title": {"nl": "Btw-aangifte {period}", "fr": "Déclaration TVA {period}",
                  "en": "VAT return {period}"},
    "vat.subtitle": {"nl": "{seller} — {kind} {period}, van {first} tot {last}",
                     "fr": "{seller} — {kind} {period}, du {first} au {last}",
                     "en": "{seller} — {kind} {period}, {first} to {last}"},
    "vat.kind.quarter": {"nl": "kwartaal", "fr": "trimestre", "en": "quarter"},
    "vat.kind.month": {"nl": "maand", "fr": "mois", "en": "month"},
    "vat.sheet.overview": {"nl": "Roosters die de verkopen voeden", "fr": "Grilles alimentées par les ventes",
                           "en": "Grids fed by the sales"},
    "vat.sheet.grids": {"nl": "Documenten per rooster", "fr": "Documents par grille",
                        "en": "Documents per grid"},
    "vat.sheet.documents": {"nl": "Alle documenten van de periode", "fr": "Tous les documents de la période",
                            "en": "Every document of the period"},
    "vat.sheet.late": {"nl": "Laattijdig gefactureerde interventies (art. 53 §2 WBTW)",
                       "fr": "Interventions facturées tardivement (art. 53 §2 CTVA)",
                       "en": "Interventions invoiced late (art. 53 §2 Belgian VAT Code)"},
    "vat.sheet.listing": {"nl": "Intracommunautaire opgave (klanten van roosters 44 en 48)",
                          "fr": "Relevé intracommunautaire (clients des grilles 44 et 48)",
                          "en": "Intra-community listing (customers of grids 44 and 48)"},
    # --- overview ---------------------------------------------------------------------------
    "vat.item": {"nl": "Omschrijving", "fr": "Description", "en": "Item"},
    "vat.value": {"nl": "Waarde", "fr": "Valeur", "en": "Value"},
    "vat.period": {"nl": "Periode", "fr": "Période", "en": "Period"},
    "vat.first_day": {"nl": "Eerste dag", "fr": "Premier jour", "en": "First day"},
    "vat.last_day": {"nl": "Laatste dag", "fr": "Dernier jour", "en": "Last day"},
    "vat.declarant": {"nl": "Aangever", "fr": "Déclarant", "en": "Declarant"},
    "vat.n_invoices": {"nl": "Aantal facturen", "fr": "Nombre de factures", "en": "Number of invoices"},
    "vat.n_credit_notes": {"nl": "Aantal creditnota's", "fr": "Nombre de notes de crédit",
                           "en": "Number of credit notes"},
    "vat.first_number": {"nl": "Eerste nummer", "fr": "Premier numéro", "en": "First number"},
    "vat.last_number": {"nl": "Laatste nummer", "fr": "Dernier numéro", "en": "Last number"},
    "vat.net_total": {"nl": "Omzet excl. btw (creditnota's afgetrokken)",
                      "fr": "Chiffre d'affaires hors TVA (notes de crédit déduites)",
                      "en": "Revenue excl. VAT (credit notes subtracted)"},
    "vat.vat_total": {"nl": "Btw (creditnota's afgetrokken)", "fr": "TVA (notes de crédit déduites)",
                      "en": "VAT (credit notes subtracted)"},
    "vat.n_late": {"nl": "Laattijdig gefactureerde lijnen", "fr": "Lignes facturées tardivement",
                   "en": "Lines invoiced late"},
    "vat.n_listing": {"nl": "Lijnen in de intracommunautaire opgave", "fr": "Lignes du relevé intracommunautaire",
                      "en": "Lines of the intra-community listing"},
    "vat.grids": {"nl": "Roosters", "fr": "Grilles", "en": "Grids"},
    "vat.grid": {"nl": "Rooster", "fr": "Grille", "en": "Grid"},
    "vat.description": {"nl": "Omschrijving", "fr": "Description", "en": "Description"},
    "vat.amount": {"nl": "Bedrag", "fr": "Montant", "en": "Amount"},
    "vat.n_documents": {"nl": "Documenten", "fr": "Documents", "en": "Documents"},
    "vat.total": {"nl": "Totaal", "fr": "Total", "en": "Total"},
    "vat.empty": {
        "nl": "Geen documenten gedateerd in deze periode: de verkopen van bijstand voeden geen enkel rooster.",
        "fr": "Aucun document daté dans cette période : les ventes de bijstand n'alimentent aucune grille.",
        "en": "No document dated in this period: bijstand's sales feed no grid.",
    },
    "vat.purchases_note": {
        "nl": "Alleen de verkopen die bijstand uitreikte staan hier. De roosters van de aankopen en de "
              "aftrekbare btw (59, 81 tot 88) en de andere roosters worden hier niet berekend: vul ze in "
              "uit de boekhouding.",
        "fr": "Seules les ventes émises par bijstand figurent ici. Les grilles des achats et de la TVA "
              "déductible (59, 81 à 88) et les autres grilles ne sont pas calculées ici : complétez-les "
              "depuis la comptabilité.",
        "en": "Only the sales that bijstand issued are here. The purchase and deductible-VAT grids "
              "(59, 81 to 88) and the other grids are not computed here: fill them in from the books.",
    },
    "vat.by_issue_date": {
        "nl": "Elk document telt in de periode van zijn uitreikingsdatum, welke run of creditnota het ook uitreikte.",
        "fr": "Chaque document compte dans la période de sa date d'émission, quel que soit le lot ou la note "
              "de crédit qui l'a émis.",
        "en": "Each document counts in the period of its issue date, whatever run or credit note issued it.",
    },
    "vat.problems": {"nl": "Na te kijken", "fr": "À vérifier", "en": "To check"},
    # --- grids (Belgian periodic VAT return, form 625) ----------------------------------------
    "vat.grid.00": {"nl": "Handelingen aan 0 %", "fr": "Opérations à 0 %", "en": "Operations at 0 %"},
    "vat.grid.01": {"nl": "Handelingen aan 6 %", "fr": "Opérations à 6 %", "en": "Operations at 6 %"},
    "vat.grid.02": {"nl": "Handelingen aan 12 %", "fr": "Opérations à 12 %", "en": "Operations at 12 %"},
    "vat.grid.03": {"nl": "Handelingen aan 21 %", "fr": "Opérations à 21 %", "en": "Operations at 21 %"},
    "vat.grid.44": {"nl": "Diensten aan EU-btw-plichtigen (btw verlegd)",
                    "fr": "Services à des assujettis UE (autoliquidation)",
                    "en": "Services to EU VAT-registered customers (reverse charge)"},
    "vat.grid.47": {"nl": "Andere vrijgestelde handelingen en handelingen buiten de EU",
                    "fr": "Autres opérations exemptées et opérations hors UE",
                    "en": "Other exempt operations and operations outside the EU"},
    "vat.grid.48": {"nl": "Creditnota's op handelingen van roosters 44 en 46",
                    "fr": "Notes de crédit sur opérations des grilles 44 et 46",
                    "en": "Credit notes on operations of grids 44 and 46"},
    "vat.grid.49": {"nl": "Creditnota's op andere handelingen", "fr": "Notes de crédit sur autres opérations",
                    "en": "Credit notes on other operations"},
    "vat.grid.54": {"nl": "Verschuldigde btw op handelingen van roosters 01, 02 en 03",
                    "fr": "TVA due sur opérations des grilles 01, 02 et 03",
                    "en": "VAT due on operations of grids 01, 02 and 03"},
    "vat.grid.64": {"nl": "Te regulariseren btw op uitgereikte creditnota's",
                    "fr": "TVA à régulariser sur notes de crédit émises",
                    "en": "VAT on credit notes issued, to regularise"},
    "vat.grid_heading": {"nl": "Rooster {grid} — {text}", "fr": "Grille {grid} — {text}",
                         "en": "Grid {grid} — {text}"},
    "vat.grid_is_vat": {"nl": "(het rooster neemt de btw-kolom)", "fr": "(la grille reprend la colonne TVA)",
                        "en": "(the grid takes the VAT column)"},
    "vat.grid_is_base": {"nl": "(het rooster neemt de maatstaf)", "fr": "(la grille reprend la base)",
                         "en": "(the grid takes the base)"},
    # --- columns ----------------------------------------------------------------------------
    "vat.col.number": {"nl": "Nummer", "fr": "Numéro", "en": "Number"},
    "vat.col.document_type": {"nl": "Soort", "fr": "Type", "en": "Type"},
    "vat.col.date": {"nl": "Datum", "fr": "Date", "en": "Date"},
    "vat.col.customer_id": {"nl": "Klantnummer", "fr": "N° client", "en": "Customer ID"},
    "vat.col.customer_name": {"nl": "Naam", "fr": "Nom", "en": "Name"},
    "vat.col.vat_number": {"nl": "Btw-nummer", "fr": "N° TVA", "en": "VAT number"},
    "vat.col.country": {"nl": "Land", "fr": "Pays", "en": "Country"},
    "vat.col.category": {"nl": "Btw-categorie", "fr": "Catégorie TVA", "en": "VAT category"},
    "vat.col.rate": {"nl": "Tarief", "fr": "Taux", "en": "Rate"},
    "vat.col.base": {"nl": "Maatstaf", "fr": "Base", "en": "Base"},
    "vat.col.vat": {"nl": "Btw", "fr": "TVA", "en": "VAT"},
    "vat.col.net": {"nl": "Excl. btw", "fr": "Hors TVA", "en": "Net"},
    "vat.col.total": {"nl": "Incl. btw", "fr": "TVA comprise", "en": "Total"},
    "vat.col.credited_number": {"nl": "Crediteert factuur", "fr": "Crédite la facture", "en": "Credits invoice"},
    "vat.col.credited_date": {"nl": "Van", "fr": "Du", "en": "Dated"},
    "vat.col.grids": {"nl": "Roosters", "fr": "Grilles", "en": "Grids"},
    "vat.col.kind": {"nl": "Soort lijn", "fr": "Type de ligne", "en": "Line kind"},
    "vat.col.intervention_id": {"nl": "Interventie", "fr": "Intervention", "en": "Intervention"},
    "vat.col.service_date": {"nl": "Datum dienst", "fr": "Date du service", "en": "Service date"},
    "vat.col.deadline": {"nl": "Uiterste factuurdatum", "fr": "Date limite de facturation",
                         "en": "Invoicing deadline"},
    "vat.col.days_late": {"nl": "Dagen te laat", "fr": "Jours de retard", "en": "Days late"},
    "vat.col.code": {"nl": "Code", "fr": "Code", "en": "Code"},
    "vat.col.corrects": {"nl": "Verbetert periode", "fr": "Corrige la période", "en": "Corrects period"},
    "vat.col.documents": {"nl": "Documenten", "fr": "Documents", "en": "Documents"},
    "vat.col.message": {"nl": "Probleem", "fr": "Problème", "en": "Problem"},
    "vat.invoice": {"nl": "factuur", "fr": "facture", "en": "invoice"},
    "vat.credit_note": {"nl": "creditnota", "fr": "note de crédit", "en": "credit note"},
    "vat.kind.regie": {"nl": "regie", "fr": "régie", "en": "time and materials"},
    "vat.kind.upgrade": {"nl": "upgrade", "fr": "mise à niveau", "en": "upgrade"},
    # --- empty sections ---------------------------------------------------------------------
    "vat.no_late": {"nl": "Geen laattijdig gefactureerde interventies in deze periode.",
                    "fr": "Aucune intervention facturée tardivement dans cette période.",
                    "en": "No intervention invoiced late in this period."},
    "vat.no_listing": {"nl": "Geen intracommunautaire opgave voor deze periode (geen klanten van roosters 44 en 48): "
                             "er is geen intervat-listing.xml, want Intervat aanvaardt geen opgave zonder klanten.",
                       "fr": "Pas de relevé intracommunautaire pour cette période (aucun client des grilles 44 et 48) : "
                             "pas de intervat-listing.xml, car Intervat n'accepte pas de relevé sans client.",
                       "en": "No intra-community listing for this period (no customers of grids 44 and 48): no "
                             "intervat-listing.xml is written, as Intervat takes no listing without customers."},
    "vat.no_entries": {"nl": "(geen documenten)", "fr": "(aucun document)", "en": "(no documents)"},
    "vat.listing_note": {
        "nl": "Code S: diensten. Een creditnota op een factuur van een vroegere periode staat apart, als "
              "verbetering van die periode (negatief bedrag). Klanten met saldo 0,00 worden niet opgegeven.",
        "fr": "Code S : services. Une note de crédit sur une facture d'une période antérieure figure à part, "
              "comme rectification de cette période (montant négatif). Les clients au solde de 0,00 ne sont "
              "pas repris.",
        "en": "Code S: services. A credit note on an invoice of an earlier period is listed apart, as a "
              "correction of that period (negative amount). Customers with a balance of 0.00 are left out.",
    },
    # --- problems (vat_period.PeriodProblem.code) ---------------------------------------------
    "vat.problem.no_vat_number": {
        "nl": "{number}: klant {customer} heeft verlegde btw (AE) maar geen btw-nummer van een andere "
              "EU-lidstaat — vul het btw-nummer aan in klanten.xlsx; de intracommunautaire opgave kan "
              "zonder niet ingediend worden",
        "fr": "{number} : le client {customer} est en autoliquidation (AE) sans numéro de TVA d'un autre "
              "État membre — complétez le numéro de TVA dans klanten.xlsx ; le relevé intracommunautaire ne "
              "peut être déposé sans lui",
        "en": "{number}: customer {customer} is reverse-charged (AE) without a VAT number of another EU "
              "member state — fill in the VAT number in klanten.xlsx; the intra-community listing cannot be "
              "filed without it",
    },
    # --- workbook furniture used by the table writer ------------------------------------------
    "page": {"nl": "Pagina", "fr": "Page", "en": "Page"},
    "yes": {"nl": "ja", "fr": "oui", "en": "yes"},
    "no": {"nl": "nee", "fr": "non", "en": "no"},
}


def t(key: str, language: str = "nl", **fmt) -> str:
    """The text of ``key`` in ``language`` (Dutch when missing), placeholders filled."""
    entry = TEXTS[key]
    text = entry.get(language) or entry["nl"]
    return text.format(**fmt) if fmt else text


def labeller(language: str):
    """``L(key, **fmt)`` bound to one language."""
    def label(key: str, **fmt) -> str:
        return t(key, language, **fmt)

    return label
