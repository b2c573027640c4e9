"""Texts of the register's trust checks and of `bijstand repair` (SPEC §8 T2–T7, §11 D4, §12 safety),
in the bookkeeper's language (``settings.ui.language``).

One entry per text: ``TEXTS[key][language]``, a ``str.format`` template. The lead merges this table
into the one translation table (:mod:`batch.documents.i18n`).
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # --- T4: the commit re-reads what the run was priced against ---------------------------------
    "t4.changed": {
        "nl": "een ander commando veranderde het register terwijl deze run geprijsd werd ({what}) — er werd niets "
              "uitgereikt; start hetzelfde commando opnieuw",
        "fr": "une autre commande a modifié le registre pendant le calcul de ce run ({what}) — rien n'a été "
              "émis ; relancez la même commande",
        "en": "another command changed the register while this run was being priced ({what}) — nothing was "
              "issued; run the same command again",
    },
    "t4.coverage": {
        "nl": "gefactureerde dekking van klant {customer}, module {module}",
        "fr": "couverture facturée du client {customer}, module {module}",
        "en": "billed coverage of customer {customer}, module {module}",
    },
    "t4.handled": {
        "nl": "verwerkte interventie {intervention}",
        "fr": "intervention traitée {intervention}",
        "en": "handled intervention {intervention}",
    },
    "t4.upgrade": {
        "nl": "upgrade van klant {customer}",
        "fr": "mise à niveau du client {customer}",
        "en": "upgrade of customer {customer}",
    },
    # --- R3: the billing start is fixed by the first run ------------------------------------------
    "start.changed": {
        "nl": "[billing] start in bijstand.toml is {setting}, maar het register legde de facturatiestart vast op "
              "{fixed} bij de eerste run — een andere start zou {what} — er werd niets uitgereikt. Zet "
              'start = "{fixed}" terug (of laat het leeg)',
        "fr": "[billing] start dans bijstand.toml vaut {setting}, mais le registre a fixé le début de la "
              "facturation au {fixed} lors du premier run — un autre début {what} — rien n'a été émis. Remettez "
              'start = "{fixed}" (ou laissez-le vide)',
        "en": "[billing] start in bijstand.toml is {setting}, but the register fixed the billing start at {fixed} "
              "with the first run — another start would {what} — nothing was issued. Put start = \"{fixed}\" back "
              "(or leave it empty)",
    },
    "start.earlier": {
        "nl": "periodes factureren die het oude systeem al factureerde",
        "fr": "facturerait des périodes que l'ancien système a déjà facturées",
        "en": "bill periods that the old system billed already",
    },
    "start.later": {
        "nl": "gefactureerde dagen vóór de nieuwe start anders behandelen dan de runs die ze factureerden",
        "fr": "traiterait les jours facturés avant le nouveau début autrement que les runs qui les ont facturés",
        "en": "treat billed days before the new start differently from the runs that billed them",
    },
    # --- T7: a tariff with more than two decimals holds the customers that would use it -------------
    "t7.tariff.held": {
        "nl": "klant {customer}: de factuur zou {header} \"{value}\" gebruiken, dat meer dan twee decimalen heeft",
        "fr": "client {customer} : la facture utiliserait {header} « {value} », qui a plus de deux décimales",
        "en": "customer {customer}: the invoice would use {header} \"{value}\", which has more than two decimals",
    },
    "t7.tariff.held.fix": {
        "nl": "Schrijf het bedrag in tarieven.xlsx in euro en cent (bv. 12,35); een volgende run factureert de klant.",
        "fr": "Écrivez le montant dans tarieven.xlsx en euros et centimes (p. ex. 12,35) ; un run suivant "
              "facturera le client.",
        "en": "Write the amount in tarieven.xlsx in euros and cents (e.g. 12.35); a later run bills the customer.",
    },
    # --- repair (SPEC §8 T2, §11 D4, §12) ---------------------------------------------------------
    "repair.payments": {
        "nl": "Betalingen opnieuw ingelezen uit bank/: {files} rekeninguittreksel(s), {movements} bewegingen",
        "fr": "Paiements relus depuis bank/ : {files} extrait(s) de compte, {movements} mouvements",
        "en": "Payments imported again from bank/: {files} statement file(s), {movements} movements",
    },
    "repair.payments.missing": {
        "nl": "het rekeninguittreksel {path} (ingelezen op {when}) staat niet meer in bank/: zijn betalingen zijn "
              "niet hersteld — zet het bestand terug in bank/ en start `bijstand payments`",
        "fr": "l'extrait {path} (importé le {when}) n'est plus dans bank/ : ses paiements ne sont pas rétablis — "
              "remettez le fichier dans bank/ et lancez `bijstand payments`",
        "en": "the statement {path} (imported on {when}) is no longer in bank/: its payments were not restored — "
              "put the file back in bank/ and run `bijstand payments`",
    },
    "repair.pdf": {
        "nl": "Pdf's toegevoegd aan {label}: {n} (de reeds uitgereikte UBL-bestanden blijven zoals ze zijn)",
        "fr": "PDF ajoutés à {label} : {n} (les fichiers UBL déjà émis restent tels quels)",
        "en": "PDFs added to {label}: {n} (the UBL files already issued stay as they are)",
    },
    "repair.tampered": {
        "nl": "Het register faalde zijn integriteitscontrole en is opnieuw opgebouwd uit output/",
        "fr": "Le registre a échoué à son contrôle d'intégrité et a été reconstruit depuis output/",
        "en": "The register failed its integrity check and was rebuilt from output/",
    },
    "status.no-pdf": {
        "nl": "Let op: {n} run-map(pen) van een oudere versie hebben geen pdf/ ({labels}): `bijstand repair` voegt "
              "de pdf's toe",
        "fr": "Note : {n} dossier(s) de run d'une version plus ancienne n'ont pas de pdf/ ({labels}) : "
              "`bijstand repair` ajoute les PDF",
        "en": "Note: {n} run folder(s) written by an older version have no pdf/ ({labels}): `bijstand repair` "
              "adds the PDFs",
    },
}


def text(key: str, language: str, **values: object) -> str:
    """The text ``key`` in ``language`` (Dutch when that language has none), filled in.

    >>> text("t4.handled", "en", intervention="I7")
    'handled intervention I7'
    """
    entry = TEXTS[key]
    return entry.get(language, entry["nl"]).format(**values)


def ui_language(workspace) -> str:
    """The bookkeeper's language of a workspace (``[ui] language``), Dutch when the settings cannot be
    read (the command that needs them reports why)."""
    try:
        from .settings import load_settings

        return load_settings(workspace).ui.language
    except Exception:  # noqa: BLE001 — a message's language must never stop the message
        return "nl"
