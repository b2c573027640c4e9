"""Texts of the Trends sheet and the `bijstand btw` command (to be merged into the one table)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "trends.title": {"nl": "Trends over {n} kwartalen ({first} – {last})", "fr": "Tendances sur {n} trimestres "
                     "({first} – {last})", "en": "Trends over {n} quarters ({first} – {last})"},
    "trends.by_kind": {"nl": "Omzet per soort (excl. btw, creditnota's afgetrokken)",
                       "fr": "Chiffre d'affaires par type (hors TVA, notes de crédit déduites)",
                       "en": "Revenue by kind (excl. VAT, credit notes subtracted)"},
    "trends.by_module": {"nl": "Abonnementen per module", "fr": "Abonnements par module", "en": "Fees by module"},
    "trends.free": {"nl": "Gratis ondersteuning per oorzaak (inbegrepen in de overeenkomst)",
                    "fr": "Assistance gratuite par cause (comprise dans le contrat)",
                    "en": "Free support by cause (included in the agreement)"},
    "trends.costly": {"nl": "Klanten van wie de gratis ondersteuning meer waard is dan hun abonnement",
                      "fr": "Clients dont l'assistance gratuite vaut plus que leur abonnement",
                      "en": "Customers whose free support is worth more than their fees"},
    "trends.quarter": {"nl": "Kwartaal", "fr": "Trimestre", "en": "Quarter"},
    "trends.fee": {"nl": "Abonnementen", "fr": "Abonnements", "en": "Fees"},
    "trends.regie": {"nl": "Regie", "fr": "Régie", "en": "Time and materials"},
    "trends.upgrade": {"nl": "Upgrades", "fr": "Mises à niveau", "en": "Upgrades"},
    "trends.total": {"nl": "Totaal", "fr": "Total", "en": "Total"},
    "trends.category": {"nl": "Oorzaak (soort)", "fr": "Cause (type)", "en": "Cause (kind)"},
    "trends.interventions": {"nl": "Interventies", "fr": "Interventions", "en": "Interventions"},
    "trends.minutes": {"nl": "Minuten", "fr": "Minutes", "en": "Minutes"},
    "trends.hours": {"nl": "Uren", "fr": "Heures", "en": "Hours"},
    "trends.value": {"nl": "Waarde aan regietarief", "fr": "Valeur au tarif régie", "en": "Value at the regie rate"},
    "trends.customer_id": {"nl": "Klantnummer", "fr": "N° client", "en": "Customer ID"},
    "trends.customer_name": {"nl": "Naam", "fr": "Nom", "en": "Name"},
    "trends.free_minutes": {"nl": "Gratis minuten", "fr": "Minutes gratuites", "en": "Free minutes"},
    "trends.free_value": {"nl": "Waarde gratis tijd", "fr": "Valeur du temps gratuit", "en": "Value of free time"},
    "trends.fees": {"nl": "Betaalde abonnementen", "fr": "Abonnements payés", "en": "Fees paid"},
    "trends.difference": {"nl": "Verschil", "fr": "Différence", "en": "Difference"},
    "trends.none": {"nl": "Geen.", "fr": "Aucun.", "en": "None."},
    "trends.note": {"nl": "Uit het register: documenten per kwartaal van hun datum; gratis ondersteuning per "
                    "datum van de interventie, gewaardeerd aan het regietarief van die dag en dat kanaal.",
                    "fr": "D'après le registre : documents par trimestre de leur date ; assistance gratuite par "
                    "date de l'intervention, valorisée au tarif régie de ce jour et de ce canal.",
                    "en": "From the register: documents by the quarter of their date; free support by the date of "
                    "the intervention, valued at the regie rate of that day and channel."},
    "trends.missing_rates": {"nl": "{n} gratis interventie(s) zonder regietarief op hun dag werden niet gewaardeerd.",
                             "fr": "{n} intervention(s) gratuite(s) sans tarif régie ce jour-là n'ont pas été "
                             "valorisée(s).", "en": "{n} free intervention(s) without a regie rate on their day "
                             "were not valued."},
    "btw.written": {"nl": "Btw-periode {period}: {n} document(en), roosters {grids} → {folder}",
                    "fr": "Période TVA {period} : {n} document(s), grilles {grids} → {folder}",
                    "en": "VAT period {period}: {n} document(s), grids {grids} → {folder}"},
    "btw.no_grids": {"nl": "alle 0,00", "fr": "toutes à 0,00", "en": "all 0.00"},
    "btw.empty": {"nl": "Btw-periode {period}: geen enkel document gedateerd in deze periode (de werkmap zegt het ook).",
                  "fr": "Période TVA {period} : aucun document daté dans cette période (le classeur le dit aussi).",
                  "en": "VAT period {period}: no document dated in this period (the workbook says so too)."},
    "btw.no_listing": {"nl": "Geen intracommunautaire opgave: {why}", "fr": "Pas de relevé intracommunautaire : {why}",
                       "en": "No intra-community listing: {why}"},
    "btw.missing_ubl": {"nl": "UBL-bestand van {number} ontbreekt in {folder} — bijstand repair schrijft het opnieuw",
                        "fr": "Le fichier UBL de {number} manque dans {folder} — bijstand repair le réécrit",
                        "en": "the UBL file of {number} is missing from {folder} — bijstand repair writes it again"},
}
