"""Texts of the delivery e-mails (SPEC §11 D3): subject and body per document kind, in nl, fr
and en. To be merged into the one translation table, ``batch/documents/i18n.py``.

Placeholders: ``{number}``, ``{date}`` (long date), ``{seller}``, ``{total}`` (formatted
money), ``{due}``, ``{iban}``, ``{reference}``, ``{credited}``, ``{name}`` (a file name).
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # --- subjects -----------------------------------------------------------------------------
    "mail.subject.invoice": {"nl": "Factuur {number} van {seller}",
                             "fr": "Facture {number} de {seller}",
                             "en": "Invoice {number} from {seller}"},
    "mail.subject.credit_note": {"nl": "Creditnota {number} van {seller}",
                                 "fr": "Note de crédit {number} de {seller}",
                                 "en": "Credit note {number} from {seller}"},
    "mail.subject.reminder": {"nl": "Betalingsherinnering {number} van {seller}",
                              "fr": "Rappel de paiement {number} de {seller}",
                              "en": "Payment reminder {number} from {seller}"},
    # --- body ---------------------------------------------------------------------------------
    "mail.greeting": {"nl": "Geachte klant,", "fr": "Madame, Monsieur,", "en": "Dear customer,"},
    # the sentence naming the attached document; also the legal language's sentence (SPEC §9 L1)
    "mail.attached.invoice": {"nl": "In bijlage vindt u factuur {number} van {date}.",
                              "fr": "Veuillez trouver ci-joint la facture {number} du {date}.",
                              "en": "Please find attached invoice {number} of {date}."},
    "mail.attached.credit_note": {"nl": "In bijlage vindt u creditnota {number} van {date}.",
                                  "fr": "Veuillez trouver ci-joint la note de crédit {number} du {date}.",
                                  "en": "Please find attached credit note {number} of {date}."},
    "mail.attached.reminder": {"nl": "In bijlage vindt u betalingsherinnering {number} van {date}.",
                               "fr": "Veuillez trouver ci-joint le rappel de paiement {number} du {date}.",
                               "en": "Please find attached payment reminder {number} of {date}."},
    "mail.pay": {
        "nl": "Gelieve {total} te betalen uiterlijk op {due} op rekening {iban} met de "
              "gestructureerde mededeling {reference}.",
        "fr": "Nous vous prions de payer {total} au plus tard le {due} sur le compte {iban} "
              "avec la communication structurée {reference}.",
        "en": "Please pay {total} by {due} to account {iban}, quoting the structured "
              "reference {reference}.",
    },
    "mail.pay_plain": {"nl": "Gelieve {total} te betalen uiterlijk op {due}.",
                       "fr": "Nous vous prions de payer {total} au plus tard le {due}.",
                       "en": "Please pay {total} by {due}."},
    "mail.credited": {"nl": "Deze creditnota van {total} heeft betrekking op factuur {credited}.",
                      "fr": "Cette note de crédit de {total} se rapporte à la facture {credited}.",
                      "en": "This credit note of {total} relates to invoice {credited}."},
    "mail.credit_amount": {"nl": "Bedrag van de creditnota: {total}.",
                           "fr": "Montant de la note de crédit : {total}.",
                           "en": "Credit note amount: {total}."},
    "mail.outstanding": {
        "nl": "Het openstaande bedrag is {total}. Wij verzoeken u het zo spoedig mogelijk te "
              "betalen op rekening {iban}. Heeft u intussen betaald, dan mag u dit bericht als "
              "onbestaande beschouwen.",
        "fr": "Le montant ouvert s'élève à {total}. Nous vous prions de le régler au plus vite "
              "sur le compte {iban}. Si vous avez payé entre-temps, veuillez ne pas tenir compte "
              "de ce message.",
        "en": "The amount outstanding is {total}. Please pay it as soon as possible to account "
              "{iban}. If you have paid in the meantime, please disregard this message.",
    },
    "mail.ubl": {
        "nl": "De bijlage {name} bevat hetzelfde document als e-factuur (Peppol UBL) voor uw "
              "boekhoudprogramma.",
        "fr": "La pièce jointe {name} contient le même document en facture électronique "
              "(Peppol UBL) pour votre logiciel comptable.",
        "en": "The attachment {name} holds the same document as an e-invoice (Peppol UBL) for "
              "your accounting software.",
    },
    "mail.questions": {"nl": "Vragen over dit document? Antwoord gewoon op deze e-mail.",
                       "fr": "Une question sur ce document ? Répondez simplement à cet e-mail.",
                       "en": "Questions about this document? Simply reply to this e-mail."},
    "mail.closing": {"nl": "Met vriendelijke groeten,",
                     "fr": "Nous vous prions d'agréer nos salutations distinguées,",
                     "en": "Kind regards,"},
    "mail.resend": {"nl": "Dit is een nieuwe verzending van een eerder verstuurd document.",
                    "fr": "Ceci est un nouvel envoi d'un document déjà envoyé.",
                    "en": "This is a new copy of a document sent before."},
}
