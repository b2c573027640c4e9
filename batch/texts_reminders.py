"""Texts the reader sees on a reminder (herinnering, rappel; level 3 the formal notice,
ingebrekestelling, mise en demeure — SPEC §12 P4), in nl, fr and en, to be merged into the one
translation table (batch/documents/i18n.py). Laid out by batch/documents/reminder_layout.py,
which takes every other label (seller mentions, IBAN, page footer, translation mark) from that
table.

Placeholders: ``{amount}`` and ``{compensation}`` formatted money, ``{due}`` a date spelled out,
``{iban}``/``{bic}`` the seller's account, ``{number}`` an invoice number.
"""

from __future__ import annotations

# The law the interest and the compensation rest on, by its official title in each language.
_LAW = {
    "nl": "de wet van 2 augustus 2002 betreffende de bestrijding van de betalingsachterstand bij handelstransacties",
    "fr": "la loi du 2 août 2002 concernant la lutte contre le retard de paiement dans les transactions commerciales",
    "en": "the Act of 2 August 2002 on combating late payment in commercial transactions",
}

TEXTS: dict[str, dict[str, str]] = {
    # --- titles by level (the reminder's highest) ------------------------------------------------
    "reminder.title.1": {"nl": "Herinnering", "fr": "Rappel", "en": "Reminder"},
    "reminder.title.2": {"nl": "Tweede herinnering", "fr": "Deuxième rappel", "en": "Second reminder"},
    "reminder.title.3": {"nl": "Ingebrekestelling", "fr": "Mise en demeure", "en": "Formal notice"},
    "reminder.draft_note": {
        "nl": "Concept — geen geldige herinnering, niet versturen",
        "fr": "Projet — pas un rappel valable, ne pas envoyer",
        "en": "Draft — not a valid reminder, do not send",
    },
    # --- header --------------------------------------------------------------------------------
    "reminder.date": {"nl": "Datum", "fr": "Date", "en": "Date"},
    "reminder.pay_by": {"nl": "Te betalen vóór", "fr": "À payer avant le", "en": "Pay by"},
    "reminder.to": {"nl": "Aan", "fr": "À l'attention de", "en": "To"},
    # --- the letter, by level ------------------------------------------------------------------
    "reminder.letter.1": {
        "nl": "Geachte klant,\nBij nazicht van onze boekhouding stellen wij vast dat de onderstaande facturen "
              "nog niet (volledig) betaald zijn, hoewel hun vervaldag verstreken is. Wellicht is dit aan uw "
              "aandacht ontsnapt. Wij vragen u vriendelijk het bedrag van {amount} te betalen vóór {due}.",
        "fr": "Madame, Monsieur,\nSauf erreur de notre part, les factures ci-dessous ne sont pas encore "
              "(entièrement) payées, bien que leur échéance soit dépassée. Il s'agit sans doute d'un oubli. "
              "Nous vous prions de bien vouloir régler le montant de {amount} avant le {due}.",
        "en": "Dear customer,\nOur records show that the invoices below have not yet been paid (in full), "
              "although they are past their due date. This has probably escaped your attention. We kindly "
              "ask you to pay the amount of {amount} by {due}.",
    },
    "reminder.letter.2": {
        "nl": "Geachte klant,\nOndanks onze eerdere herinnering stellen wij vast dat de onderstaande facturen "
              "nog steeds niet (volledig) betaald zijn. Wij verzoeken u dringend het bedrag van {amount} te "
              "betalen vóór {due}.",
        "fr": "Madame, Monsieur,\nMalgré notre précédent rappel, les factures ci-dessous restent impayées "
              "(en tout ou en partie). Nous vous prions instamment de régler le montant de {amount} avant "
              "le {due}.",
        "en": "Dear customer,\nDespite our earlier reminder, the invoices below are still unpaid (in full or "
              "in part). We urgently ask you to pay the amount of {amount} by {due}.",
    },
    "reminder.letter.3": {
        "nl": "Geachte klant,\nOndanks onze herhaalde herinneringen zijn de onderstaande facturen nog steeds "
              "niet (volledig) betaald. Met deze brief stellen wij u formeel in gebreke tot betaling van het "
              "bedrag van {amount}, uiterlijk op {due}.",
        "fr": "Madame, Monsieur,\nMalgré nos rappels répétés, les factures ci-dessous restent impayées (en "
              "tout ou en partie). Par la présente, nous vous mettons formellement en demeure de payer le "
              "montant de {amount} au plus tard le {due}.",
        "en": "Dear customer,\nDespite our repeated reminders, the invoices below are still unpaid (in full "
              "or in part). By this letter we give you formal notice to pay the amount of {amount} by "
              "{due} at the latest.",
    },
    # levels 1 and 2 when the reminder charges interest or the compensation
    "reminder.interest_note": {
        "nl": f"Overeenkomstig {_LAW['nl']} is op het openstaande bedrag van rechtswege en zonder "
              "ingebrekestelling verwijlintrest verschuldigd vanaf de dag na de vervaldag, aan de wettelijke "
              "rentevoet die elke dag geldt (art. 5), en een forfaitaire schadevergoeding voor "
              "invorderingskosten (art. 6).",
        "fr": f"Conformément à {_LAW['fr']}, le montant ouvert porte de plein droit et sans mise en demeure "
              "un intérêt de retard à partir du lendemain de l'échéance, au taux légal en vigueur chaque jour "
              "(art. 5), et une indemnité forfaitaire pour frais de recouvrement est due (art. 6).",
        "en": f"Under {_LAW['en']}, interest is due on the amount open by law and without notice from the "
              "day after the due date, at the statutory rate in force each day (art. 5), as is a flat "
              "compensation for recovery costs (art. 6).",
    },
    # level 3: the formal notice
    "reminder.formal_notice": {
        "nl": f"Ingebrekestelling — Overeenkomstig {_LAW['nl']} loopt op het openstaande bedrag van "
              "rechtswege verwijlintrest aan de wettelijke rentevoet tot de dag van de volledige betaling "
              "(art. 5) en is de forfaitaire schadevergoeding voor invorderingskosten verschuldigd (art. 6). "
              "Zonder betaling uiterlijk op {due} zullen wij de invordering zonder verdere verwittiging langs "
              "gerechtelijke weg voortzetten, op uw kosten.",
        "fr": f"Mise en demeure — Conformément à {_LAW['fr']}, le montant ouvert porte de plein droit un "
              "intérêt de retard au taux légal jusqu'au jour du paiement complet (art. 5) et l'indemnité "
              "forfaitaire pour frais de recouvrement est due (art. 6). À défaut de paiement au plus tard le "
              "{due}, nous poursuivrons le recouvrement par voie judiciaire sans autre avis, à vos frais.",
        "en": f"Formal notice — Under {_LAW['en']}, interest runs by law on the amount open at the "
              "statutory rate until the day of full payment (art. 5), and the flat compensation for recovery "
              "costs is due (art. 6). Failing payment by {due} at the latest, we shall pursue recovery "
              "through the courts without further notice, at your expense.",
    },
    # --- the overdue documents -----------------------------------------------------------------
    "reminder.col.invoice": {"nl": "Factuur", "fr": "Facture", "en": "Invoice"},
    "reminder.col.date": {"nl": "Datum", "fr": "Date", "en": "Date"},
    "reminder.col.due_date": {"nl": "Vervaldag", "fr": "Échéance", "en": "Due date"},
    "reminder.col.total": {"nl": "Totaal", "fr": "Total", "en": "Total"},
    "reminder.col.paid": {"nl": "Betaald", "fr": "Payé", "en": "Paid"},
    "reminder.col.open": {"nl": "Openstaand", "fr": "Solde dû", "en": "Open"},
    # a heading of two lines (the row is two lines high): the column is narrow
    "reminder.col.days_overdue": {"nl": "Dagen\nte laat", "fr": "Jours\nde retard", "en": "Days\noverdue"},
    # --- the interest per rate period and the compensation -------------------------------------
    "reminder.interest.title": {
        "nl": "Verwijlintrest en forfaitaire schadevergoeding",
        "fr": "Intérêts de retard et indemnité forfaitaire",
        "en": "Late-payment interest and flat compensation",
    },
    "reminder.interest.method": {
        "nl": "Intrest per dag op het openstaande bedrag, van de dag na de vervaldag tot de datum van deze "
              "brief, aan de rentevoet die die dag gold (werkelijke dagen ÷ 365). Per factuur wordt de som "
              "eenmaal op de cent afgerond; de bedragen per periode zijn zo afgerond dat ze samen die som geven.",
        "fr": "Intérêt par jour sur le montant ouvert, du lendemain de l'échéance à la date de la présente, "
              "au taux en vigueur ce jour-là (jours réels ÷ 365). Par facture, la somme est arrondie une seule "
              "fois au cent ; les montants par période sont arrondis de sorte qu'ils donnent cette somme.",
        "en": "Interest per day on the amount open, from the day after the due date to the date of this "
              "letter, at the rate in force that day (actual days ÷ 365). Per invoice the sum is rounded once "
              "to the cent; the amounts per period are rounded so that they add up to it.",
    },
    "reminder.col.principal": {"nl": "Openstaand", "fr": "Solde dû", "en": "Open"},
    "reminder.col.period": {"nl": "Periode (van–tot)", "fr": "Période (du–au)", "en": "Period (from–to)"},
    "reminder.col.days": {"nl": "Dagen", "fr": "Jours", "en": "Days"},
    "reminder.col.rate": {"nl": "% per jaar", "fr": "% par an", "en": "% a year"},
    "reminder.col.interest": {"nl": "Intrest", "fr": "Intérêts", "en": "Interest"},
    "reminder.col.charged": {"nl": "Totaal", "fr": "Total", "en": "Total"},
    "reminder.interest.invoice": {
        "nl": "Intrest op factuur {number}",
        "fr": "Intérêts sur la facture {number}",
        "en": "Interest on invoice {number}",
    },
    "reminder.compensation.invoice": {
        "nl": "Forfaitaire schadevergoeding (art. 6)",
        "fr": "Indemnité forfaitaire (art. 6)",
        "en": "Flat compensation (art. 6)",
    },
    # --- totals --------------------------------------------------------------------------------
    "reminder.total.open": {"nl": "Openstaand bedrag", "fr": "Montant ouvert", "en": "Amount open"},
    "reminder.total.interest": {"nl": "Verwijlintrest", "fr": "Intérêts de retard", "en": "Late-payment interest"},
    "reminder.total.compensation": {
        "nl": "Forfaitaire schadevergoeding",
        "fr": "Indemnité forfaitaire",
        "en": "Flat compensation",
    },
    "reminder.total.to_pay": {"nl": "Totaal te betalen", "fr": "Total à payer", "en": "Total to pay"},
    # --- payment -------------------------------------------------------------------------------
    "reminder.pay.instruction": {
        "nl": "Gelieve {amount} te betalen vóór {due} op rekening {iban} (BIC {bic}), met de gestructureerde "
              "mededeling hieronder.",
        "fr": "Veuillez payer {amount} avant le {due} sur le compte {iban} (BIC {bic}), avec la communication "
              "structurée ci-dessous.",
        "en": "Please pay {amount} by {due} to account {iban} (BIC {bic}), quoting the structured reference "
              "below.",
    },
    "reminder.pay.ignore": {
        "nl": "Hebt u intussen betaald, dan mag u deze brief als onbestaande beschouwen. Wij danken u.",
        "fr": "Si vous avez payé entre-temps, nous vous prions de ne pas tenir compte de ce courrier. Merci.",
        "en": "If you have paid meanwhile, please ignore this reminder. Thank you.",
    },
}
