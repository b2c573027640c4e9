"""A hypothesis state machine over a workspace's life: the bookkeeper adds customers, licences and
interventions, cancels agreements and drops a new month's sheets; runs the next quarter, reruns the
last one, credits a random invoice, and the disk fills up in the middle of a run (a failing write
injected with ``BIJSTAND_FAIL_AT=<point>:enospc`` — a SIGKILL cannot be survived in-process; the
subprocess kills are in tests/test_crash.py).

After every step the register must hold: invoice numbers 1..N per sequence and year; every handled
intervention included, or billed by an invoice that was not credited; no licence's fee period billed
twice by documents still standing; billed-through never beyond the end of the last quarter run; the
SHA-256 chain intact; no staging folder left behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from batch import faults
from batch.billing.calendar import quarter_bounds
from batch.identity import customer_key
from batch.problems import BijstandError
from batch.register import Register
from batch.run import credit_invoice, run_quarter
from batch.workspace import write_inbox_month
from tests.workspaces import A, A_LICS, C, C_LICS, customer, intervention, licence, make_workspace

QUARTERS = ["2026Q4", "2027Q1", "2027Q2", "2027Q3", "2027Q4", "2028Q1", "2028Q2", "2028Q3", "2028Q4"]
MONTHS = ["2026-10", "2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06"]
CATEGORIES = ["vraag", "opleiding", "upgrade", "virus", "herinstallatie", "pc-probleem", "internetprobleem"]
CHANNELS = ["telefoon", "internet", "ter plaatse"]
CREDIT_REFUSALS = ("billed again later", "was already credited")

days = st.dates(min_value=date(2026, 9, 1), max_value=date(2027, 12, 31))


class BookkeeperYear(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="bijstand-sm-"))
        self.ws = make_workspace(self.tmp / "ws")
        self.customers = {"A": dict(A), "C": dict(C)}
        self.licences = list(A_LICS) + list(C_LICS)
        self.interventions: list[dict] = []
        self.month = 0
        self.next_quarter = 0  # index in QUARTERS of the next quarter to run
        self.last_date = date(2026, 10, 5)
        self.counter = 0
        self.needs_repair = False

    def teardown(self):
        os.environ.pop(faults.ENV, None)
        faults._seen.clear()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- the sheets ----------------------------------------------------------------------------

    def drop_sheets(self):
        write_inbox_month(self.ws / "inbox" / MONTHS[self.month], list(self.customers.values()), self.licences,
                          self.interventions)

    @rule(cid=st.sampled_from(["A", "C", "N1", "N2"]), day=days, minutes=st.integers(1, 150),
          channel=st.sampled_from(CHANNELS), category=st.sampled_from(CATEGORIES), adapted=st.booleans())
    def add_intervention(self, cid, day, minutes, channel, category, adapted):
        if cid not in self.customers:
            return
        self.counter += 1
        self.interventions.append(intervention(f"H{self.counter}", day, cid, minutes, channel, category,
                                               "ja" if adapted else "nee"))
        self.drop_sheets()

    @rule(new=st.sampled_from(["N1", "N2"]), purchase=st.dates(date(2026, 6, 1), date(2027, 9, 30)))
    def add_customer(self, new, purchase):
        if new in self.customers:
            return
        self.customers[new] = customer(new, f"Juwelier {new}")
        self.licences.append(licence(new, "JUW", purchase))
        self.drop_sheets()

    @rule(cid=st.sampled_from(["A", "C", "N1", "N2"]), module=st.sampled_from(["KAS", "COM"]),
          purchase=st.dates(date(2026, 6, 1), date(2027, 9, 30)))
    def add_licence(self, cid, module, purchase):
        if cid not in self.customers:
            return
        self.licences.append(licence(cid, module, purchase))
        self.drop_sheets()

    @rule(cid=st.sampled_from(["A", "C", "N1", "N2"]), day=st.dates(date(2026, 10, 2), date(2027, 12, 31)),
          via=st.sampled_from(["brief", "e-mail", "fax"]))
    def cancel_customer(self, cid, day, via):
        if cid not in self.customers or self.customers[cid].get("opgezegd op"):
            return
        self.customers[cid] = dict(self.customers[cid], **{"opgezegd op": day, "opzegging via": via})
        self.drop_sheets()

    @precondition(lambda self: self.month < len(MONTHS) - 1)
    @rule()
    def next_month_snapshot(self):
        self.month += 1
        self.drop_sheets()

    # --- the commands ----------------------------------------------------------------------------

    def run(self, quarter: str):
        start, _ = quarter_bounds(quarter)
        self.last_date = max(self.last_date, start + timedelta(days=4))
        if self.needs_repair:  # a register older than output/ issues nothing (T2)
            try:
                run_quarter(self.ws, quarter, self.last_date)
            except BijstandError as exc:
                assert "does not know" in str(exc), str(exc)
                return None
            raise AssertionError("a run on a register older than output/ was not refused")
        report = run_quarter(self.ws, quarter, self.last_date)
        assert report.status in ("issued", "nothing"), (report.status, [p.render() for p in report.problems])
        return report

    @precondition(lambda self: self.next_quarter < len(QUARTERS))
    @rule()
    def run_next_quarter(self):
        self.run(QUARTERS[self.next_quarter])
        self.next_quarter += 1

    @precondition(lambda self: self.next_quarter > 0)
    @rule()
    def rerun_last_quarter(self):
        self.run(QUARTERS[self.next_quarter - 1])

    @precondition(lambda self: self.next_quarter > 0)
    @rule(pick=st.integers(0, 50))
    def credit_random_invoice(self, pick):
        with Register(self.ws / "bijstand.sqlite") as reg:
            numbers = [r[0] for r in reg.conn.execute("SELECT number FROM documents WHERE document_type = "
                                                      "'invoice' ORDER BY rowid")]
        if not numbers:
            return
        number = numbers[pick % len(numbers)]
        try:
            report = credit_invoice(self.ws, number, "state machine", self.last_date)
        except BijstandError as exc:
            assert any(r in str(exc) for r in CREDIT_REFUSALS + ("does not know",)), str(exc)
            assert not self.needs_repair or "does not know" in str(exc)
            return
        assert report.invoices[0].credited_number == number

    @precondition(lambda self: self.next_quarter > 0)
    @rule(point=st.sampled_from(["file-written", "file-written@3", "file-written@7", "staged", "in-commit"]),
          rerun=st.booleans())
    def disk_full_during_a_run(self, point, rerun):
        quarter_index = self.next_quarter - 1 if rerun or self.next_quarter == len(QUARTERS) else self.next_quarter
        if self.needs_repair:
            return
        os.environ[faults.ENV] = f"{point}:enospc"
        faults._seen.clear()
        try:
            self.run(QUARTERS[quarter_index])
        except BijstandError as exc:
            assert "No space left on device" in str(exc)
        except OSError as exc:  # injected inside the register transaction: rolled back, re-raised
            assert point == "in-commit" and "No space left" in str(exc)
        finally:
            os.environ.pop(faults.ENV, None)
            faults._seen.clear()
        self.next_quarter = max(self.next_quarter, quarter_index + 1)

    # --- what an ordinary office does (SPEC §8, issue 11) ----------------------------------------

    @rule(pick=st.integers(0, 50), shift=st.integers(-40, 40).filter(bool))
    def correct_a_purchase_date(self, pick, shift):
        """A purchase date corrected in the newest sheet: R3 must bill no day twice."""
        lic = self.licences[pick % len(self.licences)]
        day = lic["aankoopdatum"]
        if not isinstance(day, date):
            return
        self.licences[pick % len(self.licences)] = dict(lic, aankoopdatum=day + timedelta(days=shift))
        self.drop_sheets()

    @rule(cid=st.sampled_from(["A", "C", "N1", "N2"]), form=st.sampled_from(["lower", "fullwidth", "upper"]))
    def retype_a_customer_number(self, cid, form):
        """The same customer written another way in a later month (T1): never a new customer."""
        if cid not in self.customers:
            return
        written = {"lower": cid.lower(), "upper": cid.upper(),
                   "fullwidth": "".join(chr(ord(ch) + 0xFEE0) if ch.isalnum() else ch for ch in cid)}[form]
        self.customers[cid] = dict(self.customers[cid], klantnummer=written)
        self.licences = [dict(l, klantnummer=written) if customer_key(str(l["klantnummer"])) == customer_key(cid)
                         else l for l in self.licences]
        self.interventions = [dict(i, klantnummer=written) if customer_key(str(i["klantnummer"])) == customer_key(cid)
                              else i for i in self.interventions]
        self.drop_sheets()

    @precondition(lambda self: self.interventions)
    @rule(pick=st.integers(0, 50), minutes=st.integers(1, 400))
    def edit_an_intervention_everywhere(self, pick, minutes):
        """An intervention's minutes changed in every sheet that holds it (perhaps billed already: T5)."""
        i = pick % len(self.interventions)
        self.interventions[i] = dict(self.interventions[i], duur=minutes)
        for month in MONTHS[:self.month + 1]:
            folder = self.ws / "inbox" / month
            if folder.exists():
                write_inbox_month(folder, list(self.customers.values()), self.licences, self.interventions)

    @precondition(lambda self: (self.ws / "backups").exists())
    @rule(pick=st.integers(0, 20))
    def restore_an_older_register(self, pick):
        """A backup copied over the register: nothing may be issued until repair (T2)."""
        copies = sorted((self.ws / "backups").glob("bijstand-*.sqlite"))
        if not copies:
            return
        shutil.copy(copies[pick % len(copies)], self.ws / "bijstand.sqlite")
        for suffix in ("-wal", "-shm"):
            (self.ws / f"bijstand.sqlite{suffix}").unlink(missing_ok=True)
        with Register(self.ws / "bijstand.sqlite") as reg:
            known = reg.numbers()
        from batch.witness import folders

        self.needs_repair = any(n not in known for w in folders(self.ws) for n in w.numbers)

    @precondition(lambda self: (self.ws / "output").exists())
    @rule(pick=st.integers(0, 500))
    def delete_an_output_file(self, pick):
        files = sorted(p for p in (self.ws / "output").rglob("*") if p.is_file() and p.name != "manifest.json"
                       and not p.parent.name.endswith("-concept"))
        if files:
            files[pick % len(files)].unlink()

    @precondition(lambda self: (self.ws / "bijstand.sqlite").exists() and not self.needs_repair)
    @rule(how=st.sampled_from(["DELETE FROM handled", "UPDATE coverage SET units = units + 1",
                               "DELETE FROM outcomes", "UPDATE handled SET fingerprint = 'x'"]))
    def tamper_with_the_register_then_repair(self, how):
        """sqlite3 by hand on the register (T3): a command refuses it; repair rebuilds it from output/."""
        import sqlite3

        from batch.repair import repair

        con = sqlite3.connect(self.ws / "bijstand.sqlite")
        changed = con.execute(how).rowcount
        con.commit()
        con.close()
        if not changed:
            return
        try:
            run_quarter(self.ws, QUARTERS[max(self.next_quarter - 1, 0)], self.last_date)
            raise AssertionError("a run on a tampered register was not refused")
        except BijstandError as exc:
            assert "integrity check" in str(exc), str(exc)
        report = repair(self.ws)
        assert report.reason == "tampered" and report.problems == [], (report.reason, report.problems)

    @rule()
    def run_repair(self):
        from batch.repair import repair

        if not (self.ws / "bijstand.sqlite").exists() and not (self.ws / "output").exists():
            return
        report = repair(self.ws)
        assert report.problems == [], report.problems
        self.needs_repair = False
        missing = [p for p in (self.ws / "output").rglob("*") if p.name.endswith(".tmp")]
        assert missing == []

    # --- the invariants ----------------------------------------------------------------------------

    @invariant()
    def register_holds(self):
        path = self.ws / "bijstand.sqlite"
        if not path.exists():
            return
        with Register(path) as reg:
            c = reg.conn
            assert reg.verify_chain() == []
            seqs = defaultdict(list)
            for sequence, year, seq in c.execute("SELECT sequence, year, seq FROM documents"):
                seqs[(sequence, year)].append(seq)
            for key, found in seqs.items():
                assert sorted(found) == list(range(1, len(found) + 1)), (key, found)
            invoices = {r[0] for r in c.execute("SELECT number FROM documents WHERE document_type = 'invoice'")}
            credited = {r[0] for r in c.execute("SELECT number FROM credits")}
            standing = invoices - credited
            for iv, status, number in c.execute("SELECT intervention_id, status, number FROM handled"):
                assert status == "included" or (status == "billed" and number in standing), (iv, status, number)
            assert reg.verify() == []  # SPEC §8 T3: coverage and handled recomputed from the documents
            if not self.needs_repair:  # T2: output/ holds nothing the register does not know
                from batch.witness import disagreements

                assert disagreements(self.ws, reg.numbers())[0] == []
            quarters = [r[0] for r in c.execute("SELECT quarter FROM runs WHERE kind = 'run'")]
            standing_cov = reg.coverage()
            if quarters:
                last_end = max(quarter_bounds(q)[1] for q in quarters)
                for k, intervals in standing_cov.items():
                    assert all(end <= last_end for _, end, _ in intervals), (k, intervals, last_end)
            # R3: no day is billed for more units than the customer ever had of that module
            for (ckey, mkey), intervals in standing_cov.items():
                most = sum(int(l["aantal"]) for l in self.licences
                           if customer_key(str(l["klantnummer"])) == ckey and l["module"].casefold() == mkey)
                days = sorted({d for s, _, _ in intervals for d in (s,)} | {e + timedelta(days=1) for _, e, _ in intervals})
                for day in days:
                    units = sum(u for s, e, u in intervals if s <= day <= e)
                    assert units <= most, (ckey, mkey, day, units, most, intervals)
        out = self.ws / "output"
        if out.exists():
            assert [p.name for p in out.iterdir() if p.name.startswith(".staging-")] == []


BookkeeperYear.TestCase.settings = settings(max_examples=15, stateful_step_count=12, deadline=None,
                                            suppress_health_check=[HealthCheck.too_slow])
TestBookkeeperYear = BookkeeperYear.TestCase
