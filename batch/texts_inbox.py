"""Texts of the inbox reader's trust checks (SPEC §8 T1, T7, T9 and the snapshot warnings), in the
bookkeeper's language (``settings.ui.language``).

One entry per text: ``TEXTS[key][language]``, a ``str.format`` template. The lead merges this table
into the one translation table (:mod:`batch.documents.i18n`); the codes of the problems stay English.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # --- T1 identities ---------------------------------------------------------------------
    "id.zeros": {
        "nl": 'klantnummer "{written}" is klant "{form}" van de klantenlijst (alleen de voorloopnullen '
              "verschillen){more}",
        "fr": 'le numéro de client « {written} » est le client « {form} » de la liste des clients (seuls les '
              "zéros de tête diffèrent){more}",
        "en": 'customer number "{written}" is customer "{form}" of the customer list (only the leading zeros '
              "differ){more}",
    },
    "id.zeros.more": {
        "nl": "; ook op {n} andere rij(en) van dit blad",
        "fr": "; aussi sur {n} autre(s) ligne(s) de cette feuille",
        "en": "; also on {n} other row(s) of this sheet",
    },
    "id.zeros.fix": {
        "nl": "Geen actie nodig als dat dezelfde klant is (Excel laat voorloopnullen weg); zet de kolom op "
              "Tekst om ze te bewaren.",
        "fr": "Rien à faire s'il s'agit du même client (Excel supprime les zéros de tête) ; mettez la colonne "
              "au format Texte pour les garder.",
        "en": "Nothing to do if this is the same customer (Excel drops leading zeros); format the column as "
              "Text to keep them.",
    },
    "id.ambiguous": {
        "nl": "klantnummers {forms} verschillen alleen door voorloopnullen: dubbelzinnig, welke klant is welke?",
        "fr": "les numéros de client {forms} ne diffèrent que par des zéros de tête : ambigu, quel client est "
              "lequel ?",
        "en": "customer numbers {forms} differ only in leading zeros: ambiguous, which customer is which?",
    },
    "id.ambiguous.fix": {
        "nl": "Geef elke klant een nummer dat meer dan de voorloopnullen verschilt, of hou één rij over als het "
              "dezelfde klant is.",
        "fr": "Donnez à chaque client un numéro qui diffère par plus que les zéros de tête, ou gardez une seule "
              "ligne s'il s'agit du même client.",
        "en": "Give each customer a number that differs in more than leading zeros, or keep one row if it is "
              "the same customer.",
    },
    "id.ambiguous_ref": {
        "nl": 'klantnummer "{written}" kan klant {forms} zijn: dubbelzinnig',
        "fr": "le numéro de client « {written} » peut être le client {forms} : ambigu",
        "en": 'customer number "{written}" could be customer {forms}: ambiguous',
    },
    "id.ambiguous_ref.fix": {
        "nl": "Schrijf het klantnummer precies zoals in de klantenlijst, met de voorloopnullen (kolom op Tekst).",
        "fr": "Écrivez le numéro exactement comme dans la liste des clients, avec les zéros de tête (colonne "
              "au format Texte).",
        "en": "Write the customer number exactly as in the customer list, with its leading zeros (column "
              "formatted as Text).",
    },
    "customer.duplicate": {
        "nl": 'klantnummer "{written}" komt twee keer voor (eerst op rij {row}{as_form})',
        "fr": "le numéro de client « {written} » figure deux fois (d'abord à la ligne {row}{as_form})",
        "en": 'customer number "{written}" appears twice (first on row {row}{as_form})',
    },
    "customer.duplicate.as": {"nl": ' als "{form}"', "fr": " comme « {form} »", "en": ' as "{form}"'},
    "customer.duplicate.fix": {
        "nl": "Hou één rij per klant over (hoofdletters en breedte van tekens tellen niet mee).",
        "fr": "Gardez une ligne par client (majuscules et largeur des caractères ne comptent pas).",
        "en": "Keep one row per customer (case and character width do not count).",
    },
    # --- snapshots ------------------------------------------------------------------------------
    "customer.form_changed": {
        "nl": 'klantnummer "{old}" van {prev} staat in {month} als "{new}": dezelfde klant, voortaan als '
              '"{new}" geschreven',
        "fr": "le numéro de client « {old} » de {prev} figure en {month} comme « {new} » : même client, "
              "désormais écrit « {new} »",
        "en": 'customer number "{old}" of {prev} appears in {month} as "{new}": the same customer, written '
              '"{new}" from now on',
    },
    "customer.form_changed.fix": {
        "nl": "Geen actie nodig: er komt geen tweede klant bij en niets wordt opnieuw gefactureerd.",
        "fr": "Rien à faire : aucun nouveau client n'est créé et rien n'est facturé à nouveau.",
        "en": "Nothing to do: no second customer is made and nothing is billed again.",
    },
    "customer.vanished": {
        "nl": "klant {cid} ({name}) staat in de lijst van {prev} maar niet meer in die van {month}, zonder "
              "opzegging",
        "fr": "le client {cid} ({name}) figure dans la liste de {prev} mais plus dans celle de {month}, sans "
              "résiliation",
        "en": "customer {cid} ({name}) is in the list of {prev} but no longer in that of {month}, without a "
              "cancellation",
    },
    "customer.vanished.fix": {
        "nl": "Geen actie nodig als de rij fout was of met een ander nummer terugkwam. Zegde de klant op, zet "
              "hem dan in de nieuwste lijst met 'opgezegd op' en 'opzegging via'.",
        "fr": "Rien à faire si la ligne était erronée ou revenue sous un autre numéro. Si le client a résilié, "
              "remettez-le dans la liste la plus récente avec la date et le mode de résiliation.",
        "en": "Nothing to do if the row was wrong or came back under another number. If the customer "
              "cancelled, put them in the newest list with 'opgezegd op' and 'opzegging via'.",
    },
    "licence.vanished": {
        "nl": "licentie {module} van klant {cid} (gekocht {bought}) staat in de lijst van {prev} maar niet meer "
              "in die van {month}, zonder einddatum",
        "fr": "la licence {module} du client {cid} (achetée le {bought}) figure dans la liste de {prev} mais "
              "plus dans celle de {month}, sans date de fin",
        "en": "licence {module} of customer {cid} (bought {bought}) is in the list of {prev} but no longer in "
              "that of {month}, without an end date",
    },
    "licence.vanished.fix": {
        "nl": "Geen actie nodig als de rij fout was of verbeterd is. Gebruikt de klant de module niet meer, "
              "geef de rij in de nieuwste lijst dan een einddatum.",
        "fr": "Rien à faire si la ligne était erronée ou a été corrigée. Si le client n'utilise plus le module, "
              "donnez une date de fin à la ligne dans la liste la plus récente.",
        "en": "Nothing to do if the row was wrong or has been corrected. If the customer no longer uses the "
              "module, give the row an end date in the newest list.",
    },
    "licence.date_changed": {
        "nl": "aankoopdatum van licentie {module} van klant {cid} gewijzigd van {old} ({prev}) naar {new} "
              "({month})",
        "fr": "date d'achat de la licence {module} du client {cid} modifiée du {old} ({prev}) au {new} ({month})",
        "en": "purchase date of licence {module} of customer {cid} changed from {old} ({prev}) to {new} ({month})",
    },
    "licence.date_changed.fix": {
        "nl": "Ter info: de facturatie telt per klant en module, dus geen dag wordt twee keer gefactureerd.",
        "fr": "Pour information : la facturation compte par client et module, aucun jour n'est facturé deux "
              "fois.",
        "en": "For information: billing counts per customer and module, so no day is billed twice.",
    },
    "snapshot.old_problems": {
        "nl": "{n} fout(en) in dit blad van een oudere maand ({month}), de eerste op {first}; het wordt niet "
              "gebruikt voor de facturatie",
        "fr": "{n} erreur(s) dans cette feuille d'un mois antérieur ({month}), la première en {first} ; elle "
              "n'est pas utilisée pour la facturation",
        "en": "{n} error(s) in this sheet of an older month ({month}), the first at {first}; it is not used "
              "for billing",
    },
    "snapshot.old_problems.fix": {
        "nl": "Geen actie nodig: alleen de nieuwste lijst telt.",
        "fr": "Rien à faire : seule la liste la plus récente compte.",
        "en": "Nothing to do: only the newest list counts.",
    },
    "month.none": {"nl": "zonder maand", "fr": "sans mois", "en": "no month"},
    # --- T7 plausibility ------------------------------------------------------------------
    "t7.minutes": {
        "nl": "{header} {value} minuten is langer dan het maximum van {limit} minuten (billing.max_minutes)",
        "fr": "{header} {value} minutes dépasse le maximum de {limit} minutes (billing.max_minutes)",
        "en": "{header} {value} minutes is longer than the maximum of {limit} minutes (billing.max_minutes)",
    },
    "t7.minutes.fix": {
        "nl": "Controleer de duur (in minuten, of uren:minuten zoals 1:30). Klopt ze toch, verhoog dan "
              "billing.max_minutes in bijstand.toml: dat laat ze door.",
        "fr": "Vérifiez la durée (en minutes, ou heures:minutes comme 1:30). Si elle est juste, augmentez "
              "billing.max_minutes dans bijstand.toml : cela la laisse passer.",
        "en": "Check the duration (minutes, or hours:minutes like 1:30). If it is right, raise "
              "billing.max_minutes in bijstand.toml: that lets it through.",
    },
    "t7.quantity": {
        "nl": "{header} {value} is meer dan het maximum van {limit} (billing.max_quantity)",
        "fr": "{header} {value} dépasse le maximum de {limit} (billing.max_quantity)",
        "en": "{header} {value} is above the maximum of {limit} (billing.max_quantity)",
    },
    "t7.quantity.fix": {
        "nl": "Controleer het aantal licenties. Klopt het toch, verhoog dan billing.max_quantity in "
              "bijstand.toml: dat laat het door.",
        "fr": "Vérifiez le nombre de licences. S'il est juste, augmentez billing.max_quantity dans "
              "bijstand.toml : cela le laisse passer.",
        "en": "Check the number of licences. If it is right, raise billing.max_quantity in bijstand.toml: "
              "that lets it through.",
    },
    "t7.decimals": {
        "nl": '{header} "{value}" heeft meer dan twee decimalen',
        "fr": "{header} « {value} » a plus de deux décimales",
        "en": '{header} "{value}" has more than two decimals',
    },
    "t7.decimals.fix": {
        "nl": "Schrijf het bedrag in euro en cent (bv. 12,35): een factuur rekent met centen.",
        "fr": "Écrivez le montant en euros et centimes (p. ex. 12,35) : une facture compte en centimes.",
        "en": "Write the amount in euros and cents (e.g. 12.35): an invoice counts in cents.",
    },
    # --- T9 files ---------------------------------------------------------------------------
    "file.special": {
        "nl": "{name} is {kind}, geen gewoon bestand: niet geopend",
        "fr": "{name} est {kind}, pas un fichier ordinaire : non ouvert",
        "en": "{name} is {kind}, not a regular file: not opened",
    },
    "file.special.fix": {
        "nl": "Verwijder het uit de werkmap en zet er een gewone kopie van het blad in.",
        "fr": "Retirez-le de l'espace de travail et mettez-y une copie ordinaire de la feuille.",
        "en": "Remove it from the workspace and put an ordinary copy of the sheet there.",
    },
    "kind.fifo": {"nl": "een FIFO (named pipe)", "fr": "un FIFO (tube nommé)", "en": "a FIFO (named pipe)"},
    "kind.device": {"nl": "een apparaat", "fr": "un périphérique", "en": "a device"},
    "kind.socket": {"nl": "een socket", "fr": "un socket", "en": "a socket"},
    "kind.other": {"nl": "een bijzonder bestand", "fr": "un fichier spécial", "en": "a special file"},
    "file.link_outside": {
        "nl": "{name} is een snelkoppeling (symbolische link) naar {target}, buiten de werkmap: niet geopend",
        "fr": "{name} est un lien symbolique vers {target}, hors de l'espace de travail : non ouvert",
        "en": "{name} is a symbolic link to {target}, outside the workspace: not opened",
    },
    "file.link_outside.fix": {
        "nl": "Kopieer het bestand zelf in de werkmap in plaats van een link.",
        "fr": "Copiez le fichier lui-même dans l'espace de travail au lieu d'un lien.",
        "en": "Copy the file itself into the workspace instead of a link.",
    },
    "file.link_broken": {
        "nl": "{name} is een snelkoppeling (symbolische link) naar {target}, dat niet bestaat",
        "fr": "{name} est un lien symbolique vers {target}, qui n'existe pas",
        "en": "{name} is a symbolic link to {target}, which does not exist",
    },
    "file.link_broken.fix": {
        "nl": "Verwijder de link of zet het bestand zelf in de werkmap.",
        "fr": "Supprimez le lien ou mettez le fichier lui-même dans l'espace de travail.",
        "en": "Remove the link or put the file itself into the workspace.",
    },
    "folder.unreadable": {
        "nl": "map {name}/ kan niet gelezen worden ({reason}): de bladen erin zouden ontbreken",
        "fr": "le dossier {name}/ ne peut pas être lu ({reason}) : ses feuilles manqueraient",
        "en": "folder {name}/ cannot be read ({reason}): its sheets would be missing",
    },
    "folder.unreadable.fix": {
        "nl": "Geef leesrechten op de map (of verplaats de bladen naar een leesbare map) en start opnieuw.",
        "fr": "Donnez le droit de lecture sur le dossier (ou déplacez les feuilles) et recommencez.",
        "en": "Grant read permission on the folder (or move the sheets to a readable folder) and run again.",
    },
    "file.unreadable_os": {
        "nl": "{name} kan niet gelezen worden ({reason})",
        "fr": "{name} ne peut pas être lu ({reason})",
        "en": "{name} cannot be read ({reason})",
    },
    "file.unreadable_os.fix": {
        "nl": "Geef leesrechten op het bestand (of kopieer het opnieuw) en start opnieuw.",
        "fr": "Donnez le droit de lecture sur le fichier (ou copiez-le à nouveau) et recommencez.",
        "en": "Grant read permission on the file (or copy it again) and run again.",
    },
    "tariffs.not_file": {
        "nl": "tarieven.xlsx is een map, geen werkmap",
        "fr": "tarieven.xlsx est un dossier, pas un classeur",
        "en": "tarieven.xlsx is a folder, not a workbook",
    },
    "tariffs.not_file.fix": {
        "nl": "Zet het tarievenbestand tarieven.xlsx in de werkmap (bijstand init maakt een voorbeeld).",
        "fr": "Mettez le fichier des tarifs tarieven.xlsx dans l'espace de travail (bijstand init crée un "
              "exemple).",
        "en": "Put the tariffs workbook tarieven.xlsx into the workspace (bijstand init makes an example).",
    },
    # --- SPEC §9 L4: documents the Peppol rules refuse ------------------------------------------
    "heading.peppol": {
        "nl": "documenten die de Peppol-regels weigeren (niets uitgereikt; de bestanden zelf zijn in orde)",
        "fr": "documents refusés par les règles Peppol (rien n'est émis ; les fichiers eux-mêmes sont en ordre)",
        "en": "documents the Peppol rules refuse (nothing issued; the files themselves are fine)",
    },
    "count.peppol": {
        "nl": "{n} door de Peppol-regels geweigerd",
        "fr": "{n} refusé(s) par les règles Peppol",
        "en": "{n} refused by the Peppol rules",
    },
    "ubl.credit_refused": {
        "nl": "geen creditnota voor factuur {number}: de Peppol-creditnota van klant {customer} voldoet niet aan "
              "{findings} — niets genummerd. De creditnota neemt de klantgegevens over van factuur {number} zoals "
              "die werd uitgereikt; meld dit met de regel en de klant",
        "fr": "pas de note de crédit pour la facture {number} : la note de crédit Peppol du client {customer} ne "
              "respecte pas {findings} — rien n'est numéroté. La note de crédit reprend les données du client de "
              "la facture {number} telle qu'elle a été émise ; signalez-le avec la règle et le client",
        "en": "no credit note for invoice {number}: the Peppol credit note of customer {customer} breaks "
              "{findings} — nothing was numbered. The credit note repeats the customer's details of invoice "
              "{number} as it was issued; report this with the rule and the customer",
    },
    "ubl.finding": {
        "nl": "regel {rule} ({text})",
        "fr": "la règle {rule} ({text})",
        "en": "rule {rule} ({text})",
    },
}


def text(key: str, language: str, **values: object) -> str:
    """The text ``key`` in ``language`` (Dutch when that language has none), filled in.

    >>> text("kind.fifo", "en"), text("t7.quantity", "nl", header="aantal", value=500, limit=100)
    ('a FIFO (named pipe)', 'aantal 500 is meer dan het maximum van 100 (billing.max_quantity)')
    """
    entry = TEXTS[key]
    return entry.get(language, entry["nl"]).format(**values)
