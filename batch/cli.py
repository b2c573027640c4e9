"""The `bijstand` command: thin click commands that call one library function each.

Exit status: 0 done, 1 nothing issued because of errors, 2 wrong usage.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path

import click

from . import __version__
from .problems import BijstandError, FatalInputError, Problem

log = logging.getLogger("bijstand")


class Progress:
    """Progress bars on stderr for steps that take more than a moment."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.bars: dict[str, object] = {}
        self.done: dict[str, int] = {}

    def __call__(self, step: str, done: int, total: int) -> None:
        if self.quiet or total < 2:
            return
        bar = self.bars.get(step)
        if bar is None:
            labels = {"inbox lezen": "Inlezen  ", "price": "Prijzen  ", "validate": "Controle ", "write": "Schrijven",
                      "send": "Verzenden"}
            if step not in labels:
                return
            bar = click.progressbar(length=total, label=labels.get(step, step), file=sys.stderr)
            bar.__enter__()
            self.bars[step] = bar
            self.done[step] = 0
        bar.update(done - self.done[step])
        self.done[step] = done
        if done >= total:
            bar.__exit__(None, None, None)
            del self.bars[step]

    def close(self):
        for bar in self.bars.values():
            bar.__exit__(None, None, None)
        self.bars.clear()


def _date(ctx, param, value):
    """A date option: ``2027-01-05`` or ``05/01/2027`` (day first, as Belgians write it)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if "/" in text:
            day, month, year = text.split("/")
            if len(year) != 4:
                raise ValueError
            return date(int(year), int(month), int(day))
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date — write it as 2027-01-05 or 05/01/2027") from None


def _workspace(ctx) -> Path:
    return Path(ctx.obj["workspace"])


def _setup_logging(workspace: Path, verbose: bool):
    handlers: list[logging.Handler] = []
    if workspace.joinpath("bijstand.toml").exists():
        try:
            handlers.append(logging.FileHandler(workspace / "bijstand.log", encoding="utf-8"))
        except OSError:
            pass
    root = logging.getLogger("bijstand")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for h in handlers:
        h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        root.addHandler(h)


def _print_problems(problems: list[Problem], quiet: bool, limit: int = 120):
    """Problems grouped by file and severity; --quiet prints the errors only."""
    if quiet:
        problems = [p for p in problems if p.is_error]
    if not problems:
        return
    from .inbox.report import render_problems

    lines = render_problems(problems).splitlines()
    if len(lines) > limit:
        lines = lines[:limit] + [f"… ({len(lines) - limit} more lines: see the Problemen sheet of the run)"]
    for line in lines:
        click.echo(line, err=True)


def _fail(exc: BijstandError):
    if isinstance(exc, FatalInputError):
        _print_problems(exc.problems, False)
        click.secho("Niets uitgereikt: een invoerbestand is onbruikbaar (zie hierboven).", fg="red", err=True)
    else:
        click.secho(f"Error: {exc}", fg="red", err=True)
    log.error("%s", exc)
    sys.exit(exc.exit_code)


GLOBAL_FLAGS = {"-q", "--quiet", "-v", "--verbose"}
GLOBAL_VALUES = {"-w", "--workspace"}


def hoist_global_options(args: list[str]) -> list[str]:
    """The global options (-w/--workspace, -q, -v) moved before the command, wherever they were
    written (SPEC §6: "accepted before or after the command").

    >>> hoist_global_options(["run", "2027Q1", "-q", "-w", "ws", "--dry-run"])
    ['-q', '-w', 'ws', 'run', '2027Q1', '--dry-run']
    >>> hoist_global_options(["credit", "N", "--workspace=ws", "--reason", "-v"])
    ['--workspace=ws', 'credit', 'N', '--reason', '-v']
    """
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            rest += args[i:]
            break
        takes_value = rest and rest[-1] in VALUE_OPTIONS
        if not takes_value and a in GLOBAL_FLAGS:
            front.append(a)
        elif not takes_value and a in GLOBAL_VALUES and i + 1 < len(args):
            front += [a, args[i + 1]]
            i += 1
        elif not takes_value and a.startswith("--workspace="):
            front.append(a)
        else:
            rest.append(a)
        i += 1
    return front + rest


# options of the commands that take a value (their value is never a global option)
VALUE_OPTIONS = {"--reason", "--date", "--invoice-date", "--seed", "--only", "--resend", "--file"}


class BijstandGroup(click.Group):
    """Maps every error that stops a command to a message and an exit code — never a traceback."""

    def parse_args(self, ctx, args):
        return super().parse_args(ctx, hoist_global_options(list(args)))

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BijstandError as exc:
            _fail(exc)
        except sqlite3.Error as exc:  # SPEC §8 T11: a damaged register met anywhere, never a traceback
            from .register import register_error
            from .workspace import REGISTER

            _fail(register_error(Path((ctx.obj or {}).get("workspace", ".")) / REGISTER, exc))
        except OSError as exc:  # a full disk or a read-only folder outside the register's own handling
            _fail(BijstandError(f"{exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''} — "
                                "free disk space or fix the folder's permissions, then run the same command "
                                "again (a committed run is finished by the next command)"))


@click.group(cls=BijstandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--workspace", "-w", default=".", type=click.Path(file_okay=False, path_type=Path),
              show_default=True, help="The workspace folder (bijstand.toml, tarieven.xlsx, inbox/).")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the final line.")
@click.option("--verbose", "-v", is_flag=True, help="Print every warning and log details.")
@click.version_option(__version__, prog_name="bijstand")
@click.pass_context
def main(ctx, workspace: Path, quiet: bool, verbose: bool):
    """Quarterly billing of support agreements (bijstandsovereenkomsten).

    \b
    Examples:
      bijstand init ~/facturatie          # a new workspace with examples
      bijstand -w ~/facturatie check      # read and validate the inbox
      bijstand -w ~/facturatie run 2027Q1 --invoice-date 2027-01-05
      bijstand demo /tmp/demo             # a realistic demo, several quarters
    """
    ctx.obj = {"workspace": workspace, "quiet": quiet, "verbose": verbose}
    _setup_logging(workspace, verbose)


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--examples", is_flag=True,
              help="Also copy the example month into inbox/2026-12/ (a trial workspace: they would be billed).")
@click.pass_context
def init(ctx, directory: Path | None, examples: bool):
    """Create a workspace: settings, tariffs, templates, folders, and example sheets in voorbeeld/.

    Writes only what is missing and never overwrites a file: on an existing workspace it lists the
    files it left alone. The example sheets go to voorbeeld/2026-12/, where no run reads them.

    \b
    Example:
      bijstand init ~/facturatie
    """
    from .workspace import EXAMPLE_MONTH, EXAMPLES, init_workspace

    target = directory or _workspace(ctx)
    try:
        written, left = init_workspace(target, examples_in_inbox=examples)
    except BijstandError as exc:
        _fail(exc)
    for p in left:
        click.echo(f"  left alone (exists): {p}")
    click.echo(f"Workspace ready in {target}: {len(written)} files written, {len(left)} left alone.")
    click.echo(f"Example sheets are in {target / EXAMPLES / EXAMPLE_MONTH} — they are NOT billed"
               + (" (a copy is in inbox/ because of --examples)." if examples else
                  "; copy them into inbox/ only to try bijstand out."))
    click.echo(f"Next: edit bijstand.toml (your company, IBAN, billing.start), put your sheets in "
               f"{target / 'inbox'}/<YYYY-MM>/, then `bijstand -w {target} check`.")


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def templates(ctx, directory: Path | None):
    """Write the empty input templates (with drop-downs and an instructions sheet).

    An existing file is never overwritten; the files left alone are listed.

    \b
    Example:
      bijstand templates ~/facturatie/templates
    """
    from .templates import write_templates_safely

    target = directory or (_workspace(ctx) / "templates")
    try:
        written, left = write_templates_safely(target)
    except BijstandError as exc:
        _fail(exc)
    for p in written:
        click.echo(str(p))
    for p in left:
        click.echo(f"left alone (exists): {p}")


@main.command()
@click.argument("quarter", required=False)
@click.pass_context
def check(ctx, quarter: str | None):
    """Read and validate the inbox; report problems; issue nothing.

    With QUARTER (e.g. 2027Q1) it also prices the quarter and shows what a run would bill.
    Problems are also written to output/problemen.xlsx. Exit 1 when there are errors.

    \b
    Example:
      bijstand -w ~/facturatie check 2027Q1
    """
    from .inbox.reader import read_inbox
    from .settings import load_settings

    ws = _workspace(ctx)
    progress = Progress(ctx.obj["quiet"])
    try:
        settings = load_settings(ws)
        if quarter:
            from .register import Register
            from .run import normalize_quarter, read_and_plan, today, totals_by_kind
            from .workspace import REGISTER

            quarter = normalize_quarter(quarter, settings)
            # check changes nothing: without a register yet, price against an empty one in memory
            register = ws / REGISTER if (ws / REGISTER).exists() else Path(":memory:")
            with Register(register, check=register.name != ":memory:") as reg:
                inbox, plan, *_ = read_and_plan(ws, quarter, today(), settings, reg, progress)
            problems = inbox.problems + plan.problems
        else:
            inbox = read_inbox(ws, settings, progress=progress)
            problems = inbox.problems
            plan = None
    except FatalInputError as exc:
        problems = exc.problems
        plan = None
        inbox = None
    except BijstandError as exc:
        _fail(exc)
    progress.close()
    _print_problems(problems, ctx.obj["quiet"])
    try:
        from .inbox.report import write_problems_workbook

        (ws / "output").mkdir(exist_ok=True)
        write_problems_workbook(ws / "output" / "problemen.xlsx", problems)
    except (ImportError, OSError):
        pass
    n_err = sum(1 for p in problems if p.severity == "error")
    n_warn = len(problems) - n_err
    if inbox is not None:
        click.echo(f"{len(inbox.files)} files, {len(inbox.customers)} customers, {len(inbox.licences)} licences, "
                   f"{len(inbox.interventions)} intervention rows read.")
    if plan is not None:
        tot = totals_by_kind(plan.invoices)
        click.echo(f"{quarter} would issue {len(plan.invoices)} invoices: fees {tot['fee']}, regie {tot['regie']}, "
                   f"upgrades {tot['upgrade']} (excl. VAT).")
    click.echo(f"{n_err} errors, {n_warn} warnings.")
    sys.exit(1 if n_err else 0)


@main.command()
@click.argument("quarter")
@click.option("--invoice-date", callback=_date, help="Invoice date, YYYY-MM-DD (default: today).")
@click.option("--dry-run", is_flag=True, help="Price and write drafts to output/<QUARTER>-concept/; number nothing.")
@click.option("--strict", is_flag=True, help="Stop on any error instead of holding back its customer.")
@click.pass_context
def run(ctx, quarter: str, invoice_date: date | None, dry_run: bool, strict: bool):
    """Price QUARTER (e.g. 2027Q1) and issue its invoices.

    Customers with errors in their rows are held back (and billed by a later run once fixed);
    --strict stops instead. Running again with nothing new issues nothing.

    \b
    Examples:
      bijstand run 2027Q1 --invoice-date 2027-01-05
      bijstand run 2027Q1 --dry-run
    """
    from .run import run_quarter, totals_by_kind

    ws = _workspace(ctx)
    progress = Progress(ctx.obj["quiet"])
    log.info("run %s invoice-date=%s dry-run=%s strict=%s", quarter, invoice_date, dry_run, strict)
    try:
        report = run_quarter(ws, quarter, invoice_date, dry_run=dry_run, strict=strict, progress=progress)
    except BijstandError as exc:
        progress.close()
        _fail(exc)
    progress.close()
    quiet = ctx.obj["quiet"]
    if report.recovered:
        click.echo(f"Finished writing interrupted run(s): {', '.join(report.recovered)}")
    if report.billing_start:
        info = report.billing_start
        how = "from billing.start in bijstand.toml" if info["from_settings"] else \
            "the first day of this first quarter (billing.start is empty)"
        verb = "would be fixed" if report.status == "dry-run" else "fixed"
        click.secho(f"Billing start {verb} at {info['billing_start']:%d/%m/%Y}, {how}: nothing before it is ever billed. "
                    f"Left to the old system: {info['interventions_before']} intervention(s) dated before it and "
                    f"{info['licence_days_before']} licence-days of fees.", fg="yellow")
    shown = report.problems if ctx.obj["verbose"] or report.status == "errors" else \
        [p for p in report.problems if p.severity == "error"]
    _print_problems(shown, quiet)
    warnings = sum(1 for p in report.problems if p.severity == "warning")
    if report.status == "errors":
        click.secho("Niets uitgereikt: los de fouten hierboven op en start opnieuw.", fg="red", err=True)
        log.error("run %s: errors, nothing issued", quarter)
        sys.exit(1)
    if report.held:
        click.secho(f"Tegengehouden klanten ({len(report.held)}): {', '.join(sorted(report.held))} — "
                    "verbeter hun rijen; een volgende run factureert hen.", fg="yellow")
    if report.status == "nothing":
        click.echo(f"{report.quarter}: nothing new to bill — no invoice issued.")
        log.info("run %s: nothing new", quarter)
        return
    tot = totals_by_kind(report.invoices)
    net = sum((i.net for i in report.invoices), start=tot["fee"] * 0)
    vat = sum((i.vat for i in report.invoices), start=tot["fee"] * 0)
    what = "drafts (not numbered)" if report.status == "dry-run" else "invoices"
    numbers = [i.number for i in report.invoices if i.number]
    rng = f" {numbers[0]} … {numbers[-1]}" if numbers else ""
    click.echo(f"{report.quarter}: {len(report.invoices)} {what}{rng}")
    click.echo(f"  fees {tot['fee']}  regie {tot['regie']}  upgrades {tot['upgrade']}  "
               f"net {net}  VAT {vat}  total {net + vat}")
    if warnings:
        click.echo(f"  {warnings} warnings (see the Problemen sheet; --verbose prints them)")
    click.echo(f"  outputs: {report.folder}")
    log.info("run %s: %s %d invoices in %s", quarter, report.status, len(report.invoices), report.folder)


@main.command()
@click.argument("number")
@click.option("--reason", required=True, help="Why the invoice is credited (printed on the credit note).")
@click.option("--date", "credit_date", callback=_date, help="Credit note date, YYYY-MM-DD (default: today).")
@click.pass_context
def credit(ctx, number: str, reason: str, credit_date: date | None):
    """Issue a credit note for the whole invoice NUMBER and release what it billed.

    The next run bills those periods and interventions again, from the corrected sheets.

    \b
    Example:
      bijstand credit 2027-000012 --reason "verkeerde module aangerekend"
    """
    from .run import credit_invoice

    try:
        report = credit_invoice(_workspace(ctx), number, reason, credit_date)
    except BijstandError as exc:
        _fail(exc)
    c = report.invoices[0]
    click.echo(f"Credit note {c.number} for invoice {number}: {c.total} incl. VAT. Outputs: {report.folder}")
    log.info("credit %s → %s", number, c.number)


@main.command()
@click.option("--open", "open_items", is_flag=True,
              help="Also write the open items and the aged balance (output/betalingen/) as of today.")
@click.pass_context
def status(ctx, open_items: bool):
    """Show what the register holds and verify its integrity.

    \b
    Examples:
      bijstand -w ~/facturatie status
      bijstand status --open
    """
    from .status import status_report

    try:
        text, ok = status_report(_workspace(ctx))
        if open_items:
            from .payments.book import write_open_items
            from .run import open_register, today

            with open_register(_workspace(ctx)) as reg:
                folder, found = write_open_items(_workspace(ctx), reg, today())
            overdue = sum(1 for s in found if s.late)  # overdue, or partly paid and late
            text += (f"\nOpen items as of {today():%d/%m/%Y}: {sum((s.open for s in found), start=0)} open, "
                     f"{overdue} overdue → {folder / 'openstaand.xlsx'}")
    except BijstandError as exc:
        _fail(exc)
    click.echo(text)
    sys.exit(0 if ok else 1)


@main.command()
@click.argument("year", type=click.IntRange(2000, 2200))
@click.pass_context
def report(ctx, year: int):
    """Write the annual customer listing of YEAR (Belgian VAT customers above 250 EUR).

    Writes output/listing-YEAR/klantenlisting.xlsx and the Intervat XML
    (ClientListingConsignment) klantenlisting.xml, from the register.

    \b
    Example:
      bijstand report 2026
    """
    from .reports import write_listing

    try:
        folder, rows = write_listing(_workspace(ctx), year)
    except BijstandError as exc:
        _fail(exc)
    click.echo(f"Customer listing {year}: {len(rows)} customers → {folder}")


@main.command()
@click.pass_context
def repair(ctx):
    """Make the register and output/ agree again.

    Rebuilds a missing, damaged, tampered or older register from the run folders in output/ (the
    old file is kept beside it), with its deliveries, reminders and payments (the statements in
    bank/ imported again); finishes runs that were committed but not written; writes again the
    files of issued documents that were deleted or changed; gives folders of older versions their
    register.jsonl and PDFs.

    \b
    Example:
      bijstand -w ~/facturatie repair
    """
    from .repair import repair as do_repair

    try:
        report = do_repair(_workspace(ctx))
    except BijstandError as exc:
        _fail(exc)
    from .texts_trust import text, ui_language

    lang = ui_language(_workspace(ctx))
    if report.reason == "tampered":
        click.echo(text("repair.tampered", lang) + ": " + "; ".join(report.integrity[:3])
                   + (" …" if len(report.integrity) > 3 else ""))
    if report.rebuilt_from:
        click.echo(f"Register rebuilt from {len(report.rebuilt_from)} run folder(s): {', '.join(report.rebuilt_from)}")
    if report.set_aside:
        click.echo(f"The old register is kept as {report.set_aside}")
    if report.bank_files:
        click.echo(text("repair.payments", lang, files=report.bank_files, movements=report.movements))
    for label, n in report.pdfs.items():
        click.echo(text("repair.pdf", lang, label=label, n=n))
    if report.finished:
        click.echo(f"Finished writing interrupted run(s): {', '.join(report.finished)}")
    for rel in report.rewritten:
        click.echo(f"Written again: output/{rel}")
    if report.witnessed:
        click.echo(f"register.jsonl added to: {', '.join(report.witnessed)}")
    if not report.changed and not report.problems:
        click.echo("Nothing to repair: the register and output/ agree.")
    for p in report.problems:
        click.secho(f"  ! {p}", fg="red", err=True)
    sys.exit(1 if report.problems else 0)


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=2026, show_default=True, help="Random seed (the same seed, the same demo).")
@click.pass_context
def demo(ctx, directory: Path | None, seed: int):
    """Build a realistic demo workspace and run several quarters on it.

    \b
    Example:
      bijstand demo /tmp/bijstand-demo
    """
    from .demo import run_demo

    target = directory or Path("bijstand-demo")
    click.echo(f"Demo workspace: {target}")
    try:
        for quarter, invoice_date, report in run_demo(target, seed=seed):
            if quarter == "payments":
                from .texts_payments import plural

                click.echo("  " + plural("payments.demo", report.language, sum(1 for s in report.statuses if s.late),
                                         day=f"{invoice_date:%d/%m/%Y}", files=len(report.files),
                                         movements=sum(f.movements for f in report.files), folder=report.folder))
                continue
            if quarter == "reminders":
                from .texts_payments import joined, plural

                lang = report.language
                levels = plural("reminders.levels", lang, len({r.level for r in report.reminders}),
                                levels=joined([str(n) for n in sorted({r.level for r in report.reminders})], lang))
                click.echo("  " + plural("reminders.demo", lang, len(report.reminders), day=f"{invoice_date:%d/%m/%Y}",
                                         levels=levels, folder=report.folder))
                continue
            total = sum((i.total for i in report.invoices), start=0)
            held = f", {len(report.held)} held back ({', '.join(sorted(report.held))})" if report.held else ""
            where = f" → {report.folder}" if report.folder else ""
            click.echo(f"  {quarter} ({invoice_date}): {report.status}, {len(report.invoices)} invoices, "
                       f"total {total}{held}{where}")
    except BijstandError as exc:
        _fail(exc)
    click.echo(f"Open {target / 'output'} to see the invoices, UBL files and overzicht.xlsx; "
               f"{target / 'LEESMIJ.txt'} says what is in the demo and how to fix its one bad row.")



# --- the accountant's VAT period (SPEC §10) ------------------------------------------------------------


@main.command()
@click.argument("period")
@click.pass_context
def btw(ctx, period: str):
    """Write the VAT-period workbook, the Intervat listing and the period's UBL files.

    PERIOD is a quarter (2027Q1) for a quarterly filer or a month (2027-01) for a monthly one
    (vat.period in bijstand.toml). Every document dated in the period counts, whatever run or credit
    note issued it. Writes output/btw-PERIOD/.

    \b
    Example:
      bijstand btw 2027Q1
    """
    from .btw import grid_summary, write_vat_period
    from .texts_trends import TEXTS

    try:
        report = write_vat_period(_workspace(ctx), period)
    except BijstandError as exc:
        _fail(exc)
    f = report.figures
    lang = "nl"
    if f.is_empty:
        click.echo(TEXTS["btw.empty"][lang].format(period=report.period.label))
    else:
        click.echo(grid_summary(report, lang))  # every non-zero grid of the period
    for w in report.warnings:
        click.secho(f"  ! {w}", fg="yellow")


# --- delivery (SPEC §11) -----------------------------------------------------------------------------


@main.command()
@click.option("--dry-run", is_flag=True, help="Write what would be sent into output/outbox/; send nothing.")
@click.option("--only", metavar="NUMBER", help="Deliver this one document (if not delivered yet).")
@click.option("--resend", metavar="NUMBER", help="Deliver this document again (logged as a resend).")
@click.pass_context
def send(ctx, dry_run: bool, only: str | None, resend: str | None):
    """Deliver every issued document not yet delivered: Peppol, e-mail, or a list to post.

    Peppol through the access point of [delivery.peppol] for customers with a Peppol address, else
    e-mail through [delivery.email], else the document is listed to print and post. Each document
    goes once: run --dry-run first and look at output/outbox/. A line per document is printed as
    it is done; exit status 1 when a document failed or waits for `bijstand repair` (a missing or
    changed file).

    \b
    Examples:
      bijstand send --dry-run
      bijstand send --only 2027-000012
      bijstand send
      bijstand send --resend 2027-000012
    """
    from .send import send as do_send
    from .settings import load_settings
    from .texts_send import TEXTS

    if only and resend:
        raise click.UsageError("use --only or --resend, not both")
    workspace = _workspace(ctx)
    try:
        lang = load_settings(workspace).ui.language
    except BijstandError as exc:
        _fail(exc)
    T = lambda k, **f: (TEXTS[k].get(lang) or TEXTS[k]["nl"]).format(**f)  # noqa: E731
    progress = Progress(ctx.obj["quiet"])

    def say(text: str, **style) -> None:
        """A line on stdout as soon as it is known (a killed send still shows what went), the progress
        bar on stderr cleared first and drawn again after it."""
        bars = list(progress.bars.values())
        if bars and sys.stderr.isatty():
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
        click.secho(text, **style)
        for bar in bars:
            bar.render_progress()

    def started(report, n: int) -> None:
        if report.uncertain_before:
            say(T("send.interrupted", numbers=", ".join(report.uncertain_before)), fg="yellow")

    def line_done(line) -> None:
        if ctx.obj["quiet"] and line.state != "failed" and not line.blocked:
            return  # -q: only the documents that need a fix, and the total
        detail = f" — {line.detail}" if line.detail and line.state != "sent" else ""
        channel = T(f"channel.{line.channel}") + (T("send.copy") if line.copy else "")
        if line.resend:
            channel += T("send.resend_mark", n=line.resend)
        say(T("send.line", number=line.number, channel=channel, state=T(f"state.{line.state}"),
              address=line.address, detail=detail), fg="red" if line.state == "failed" or line.blocked else None)

    try:
        report = do_send(workspace, dry_run=dry_run, only=only, resend=resend, progress=progress,
                         on_start=started, on_line=line_done)
    except BijstandError as exc:
        progress.close()
        _fail(exc)
    progress.close()
    if not report.lines:
        click.echo(T("send.nothing"))
    else:
        summary = ", ".join(f"{n} {T(f'state.{s}')}" for s, n in sorted(report.totals.items()))
        click.echo(T("send.total", summary=summary))
    if dry_run:
        click.echo(T("send.outbox", folder=report.outbox))
    sys.exit(1 if report.needs_a_fix else 0)


# --- payments (SPEC §12) ---------------------------------------------------------------------------------


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def payments(ctx, files: tuple[Path, ...]):
    """Import bank statements (CODA or camt.053) and write the open items.

    FILES are statement files or folders; without them every file in the workspace's bank/ folder.
    A file is imported whole or not at all, and only once. Writes output/betalingen/openstaand.xlsx
    and openstaand.csv as of today.

    \b
    Examples:
      bijstand payments
      bijstand payments ~/Downloads/coda-2027-01.cod
    """
    from .payments.book import import_statements
    from .texts_payments import plural, text

    try:
        report = import_statements(_workspace(ctx), list(files))
    except BijstandError as exc:
        _fail(exc)
    lang = report.language
    refused = 0
    for f in report.files:
        if f.state == "refused":
            refused += 1
            _print_problems(f.problems, False)
            click.secho(f"{f.path}: {text('payments.file.refused', lang)}", fg="red", err=True)
            continue
        _print_problems(f.problems, ctx.obj["quiet"])
        if f.state == "already":
            click.echo(f"{f.path}: {text('payments.file.already', lang)}")
            continue
        parts = ", ".join(f"{n} {text('payments.code.' + code, lang)}" for code, n in sorted(f.codes.items()))
        known = f" ({plural('payments.file.known', lang, f.known)})" if f.known else ""
        click.echo(f"{f.path}: {plural('payments.file.movements', lang, f.movements)}{known}"
                   + (f" — {parts}" if parts else ""))
    open_total = sum((s.open for s in report.statuses), start=0)
    late = sum(1 for s in report.statuses if s.late)
    click.echo(plural("payments.summary", lang, late, open=open_total, folder=report.folder))
    sys.exit(1 if refused else 0)


@main.command()
@click.option("--date", "on", callback=_date, help="Reminder date, YYYY-MM-DD or DD/MM/YYYY (default: today).")
@click.option("--dry-run", is_flag=True, help="Write drafts to output/herinneringen-concept/; number nothing.")
@click.pass_context
def reminders(ctx, on: date | None, dry_run: bool):
    """Write a reminder for every customer with overdue invoices (levels 1, 2, 3 = formal notice).

    Run `bijstand payments` first, so that what was paid is known. From reminders.interest_from_level
    on, the statutory late-payment interest (tarieven.xlsx, sheet Intrest) and the flat compensation
    are added. The reminders are delivered by `bijstand send`.

    \b
    Examples:
      bijstand reminders --dry-run
      bijstand reminders --date 2027-03-01
    """
    from .payments.reminders import issue_reminders
    from .texts_payments import plural, text

    try:
        report = issue_reminders(_workspace(ctx), on, dry_run=dry_run)
    except BijstandError as exc:
        _fail(exc)
    lang = report.language
    for r in report.reminders:
        click.echo(text("reminders.line", lang, number=r.number or text("reminders.draft", lang),
                        customer=r.customer_id, level=r.level, documents=" ".join(i.number for i in r.items),
                        total=r.total))
    if not report.reminders:
        click.echo(text("reminders.none", lang))
    elif report.folder:
        click.echo(plural("reminders.folder", lang, len(report.reminders), folder=report.folder))


if __name__ == "__main__":  # pragma: no cover
    main()
