"""Matching (SPEC §12 P2): which issued document each bank movement pays. Pure: movements, open
documents and what earlier imports taught in; allocations with machine codes out.

The order of evidence, strongest first:

1. the movement's structured reference (CODA type 101, camt ``CdtrRefInf/Ref``) is that of an
   issued document;
2. the free communication names one or more invoice numbers, or holds a document's 12 reference
   digits (``+++202/7000/00122+++``, ``202/7000/00122`` or ``202700000122``);
3. otherwise only a **suggestion**, never booked: the movement comes from an IBAN the customer paid
   from before and its amount is exactly what one of the customer's documents still owes.

What happens with the money (one :class:`MatchLine` per outcome, so one movement can give several):

- ``booked``: allocated to documents; a payment naming several documents is spread over them
  when the amounts add up exactly (or more: the rest is an overpayment); a single document paid in
  part keeps the rest open;
- ``credit-on-customer``: what is paid beyond the documents it names (overpayment), or paid
  for a document that was already paid (the allocation names that document, with the amount);
- ``to-refund``: paid for a document that a credit note cancelled (the allocation names that
  document, with the amount to give back);
- ``suggestion``: a likely match for a person to confirm (never booked by itself);
- ``unmatched``: no evidence at all, with the reason;
- ``debit-ignored``: money going out; counted, not matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from stdnum.be import ogm_vcs

from batch.money import ZERO
from batch.payments.statements import Movement

BOOKED = "booked"
SUGGESTION = "suggestion"
UNMATCHED = "unmatched"
TO_REFUND = "to-refund"
CREDIT_ON_CUSTOMER = "credit-on-customer"
DEBIT_IGNORED = "debit-ignored"
CODES = (BOOKED, SUGGESTION, UNMATCHED, TO_REFUND, CREDIT_ON_CUSTOMER, DEBIT_IGNORED)

# how a movement was tied to its documents
VIA_STRUCTURED = "structured-reference"
VIA_COMMUNICATION = "communication"
VIA_IBAN_AMOUNT = "iban-and-amount"

# reasons (machine codes; their texts are in batch/texts_payments.py under "payments.reason.*")
REASON_FULL = "paid-in-full"
REASON_PARTIAL = "paid-in-part"
REASON_SEVERAL = "several-documents"
REASON_OVERPAID = "overpaid"
REASON_ALREADY_PAID = "already-paid"
REASON_CREDITED = "credited"
REASON_SAME_IBAN_AMOUNT = "same-iban-and-amount"
REASON_SEVERAL_SHORT = "several-documents-short"
REASON_UNKNOWN_REFERENCE = "unknown-reference"
REASON_NO_REFERENCE = "no-reference"
REASON_ZERO = "zero-amount"
REASON_DEBIT = "debit"
REASONS = (REASON_FULL, REASON_PARTIAL, REASON_SEVERAL, REASON_OVERPAID, REASON_ALREADY_PAID, REASON_CREDITED,
           REASON_SAME_IBAN_AMOUNT, REASON_SEVERAL_SHORT, REASON_UNKNOWN_REFERENCE, REASON_NO_REFERENCE,
           REASON_ZERO, REASON_DEBIT)


@dataclass(frozen=True)
class OpenItem:
    """An issued document that can be paid, with what the register already knows was paid."""

    number: str
    customer_id: str
    customer_name: str
    document_type: str  # invoice | credit_note (credit notes are never paid; see credited_by)
    issue_date: date
    due_date: date
    total: Decimal
    structured_reference: str | None  # "+++202/7000/00122+++"
    credited_by: str | None = None  # the credit note that cancels this invoice
    already_paid: Decimal = ZERO

    @property
    def reference_digits(self) -> str | None:
        """The 12 digits of the structured reference, or None."""
        if self.structured_reference and ogm_vcs.is_valid(self.structured_reference):
            return ogm_vcs.compact(self.structured_reference)
        return None

    @property
    def payable(self) -> bool:
        return self.document_type == "invoice" and self.credited_by is None


@dataclass(frozen=True)
class Known:
    """What earlier imports taught: the IBANs each customer paid from (customer_id → IBANs)."""

    ibans: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, value: "Known | Mapping[str, Iterable[str]] | None") -> "Known":
        if value is None:
            return cls()
        if isinstance(value, Known):
            return value
        return cls({customer: frozenset(_iban(i) for i in ibans) for customer, ibans in value.items()})


@dataclass(frozen=True)
class Allocation:
    """Part of a movement that goes to one document."""

    number: str
    customer_id: str
    amount: Decimal


@dataclass(frozen=True)
class MatchLine:
    """One outcome of one movement: its code, the amount it covers and, when booked or suggested,
    the documents."""

    movement: Movement
    code: str  # one of CODES
    amount: Decimal  # the part of the movement this line covers (positive; the debit's size for debits)
    reason: str  # one of REASONS
    via: str = ""  # VIA_* when documents were found
    customer_id: str | None = None
    allocations: tuple[Allocation, ...] = ()


@dataclass(frozen=True)
class MatchResult:
    lines: tuple[MatchLine, ...]

    def with_code(self, code: str) -> tuple[MatchLine, ...]:
        return tuple(line for line in self.lines if line.code == code)

    @property
    def booked(self) -> tuple[MatchLine, ...]:
        return self.with_code(BOOKED)

    @property
    def paid_by_document(self) -> dict[str, Decimal]:
        """Document number → amount booked to it by this match (suggestions not included)."""
        paid: dict[str, Decimal] = {}
        for line in self.booked:
            for allocation in line.allocations:
                paid[allocation.number] = paid.get(allocation.number, ZERO) + allocation.amount
        return paid

    @property
    def credit_by_customer(self) -> dict[str, Decimal]:
        """Customer → overpayments left as a credit on the customer by this match."""
        credit: dict[str, Decimal] = {}
        for line in self.with_code(CREDIT_ON_CUSTOMER):
            if line.customer_id is not None:
                credit[line.customer_id] = credit.get(line.customer_id, ZERO) + line.amount
        return credit

    @property
    def debits_ignored(self) -> tuple[int, Decimal]:
        """How many debit movements were ignored, and their total (positive)."""
        lines = self.with_code(DEBIT_IGNORED)
        return len(lines), sum((line.amount for line in lines), ZERO)

    def totals(self) -> dict[str, tuple[int, Decimal]]:
        """Per code: the number of lines and their total."""
        out = {code: (0, ZERO) for code in CODES}
        for line in self.lines:
            count, total = out[line.code]
            out[line.code] = (count + 1, total + line.amount)
        return out


def match(movements: Iterable[Movement], items: Iterable[OpenItem],
          known: Known | Mapping[str, Iterable[str]] | None = None) -> MatchResult:
    """Match movements to documents, in the movements' order (each booking lowers what the next
    movement can pay). Pure: the items are not changed; see :attr:`MatchResult.paid_by_document`.

    ``known`` is customer_id → the IBANs the customer paid from before (for suggestions only).
    """
    items = list(items)
    known = Known.of(known)
    by_reference = {d: item for item in items if (d := item.reference_digits)}
    by_number = {item.number.casefold(): item for item in items}
    open_now = {item.number: item.total - item.already_paid for item in items}
    number_pattern = _number_pattern(item.number for item in items)
    lines: list[MatchLine] = []
    for movement in movements:
        lines.extend(_match_one(movement, items, known, by_reference, by_number, open_now, number_pattern))
    return MatchResult(tuple(lines))


def _match_one(movement: Movement, items: list[OpenItem], known: Known, by_reference: dict[str, OpenItem],
               by_number: dict[str, OpenItem], open_now: dict[str, Decimal],
               number_pattern: re.Pattern[str] | None) -> list[MatchLine]:
    amount = movement.amount
    if amount < 0:
        return [MatchLine(movement, DEBIT_IGNORED, -amount, REASON_DEBIT)]
    if amount == 0:
        return [MatchLine(movement, UNMATCHED, ZERO, REASON_ZERO)]

    unknown_reference = False
    targets: list[OpenItem] = []
    via = ""
    if movement.structured_reference:
        found = by_reference.get(movement.structured_reference)
        if found is not None:
            targets, via = [found], VIA_STRUCTURED
        else:
            unknown_reference = True
    if not targets:
        targets = _named_in(movement.communication, by_reference, by_number, number_pattern)
        via = VIA_COMMUNICATION if targets else ""
    if targets:
        return _allocate(movement, targets, via, open_now)

    suggestion = _suggest(movement, items, known, open_now)
    if suggestion is not None:
        return [suggestion]
    return [MatchLine(movement, UNMATCHED, amount, REASON_UNKNOWN_REFERENCE if unknown_reference
                      else REASON_NO_REFERENCE)]


def _allocate(movement: Movement, targets: list[OpenItem], via: str,
              open_now: dict[str, Decimal]) -> list[MatchLine]:
    amount = movement.amount
    payable = [t for t in targets if t.payable and open_now[t.number] > 0]
    credited = [t for t in targets if t.credited_by is not None]
    customer = (payable or targets)[0].customer_id
    owed = sum((open_now[t.number] for t in payable), ZERO)

    if not payable:
        if credited:
            return [MatchLine(movement, TO_REFUND, amount, REASON_CREDITED, via, customer, _spread(amount, credited))]
        return [MatchLine(movement, CREDIT_ON_CUSTOMER, amount, REASON_ALREADY_PAID, via, customer,
                          _spread(amount, targets))]

    if len(payable) == 1 and amount < owed:  # one document, paid in part: the rest stays open
        only = payable[0]
        open_now[only.number] -= amount
        return [MatchLine(movement, BOOKED, amount, REASON_PARTIAL, via, only.customer_id,
                          (Allocation(only.number, only.customer_id, amount),))]

    if amount < owed:  # several documents that the amount does not cover: a person decides
        proposal, left = [], amount
        for t in sorted(payable, key=lambda t: (t.due_date, t.number)):
            part = min(left, open_now[t.number])
            if part > 0:
                proposal.append(Allocation(t.number, t.customer_id, part))
                left -= part
        return [MatchLine(movement, SUGGESTION, amount, REASON_SEVERAL_SHORT, via, customer, tuple(proposal))]

    allocations = []
    for t in payable:
        allocations.append(Allocation(t.number, t.customer_id, open_now[t.number]))
        open_now[t.number] = ZERO
    lines = [MatchLine(movement, BOOKED, owed, REASON_SEVERAL if len(payable) > 1 else REASON_FULL, via,
                       customer, tuple(allocations))]
    rest = amount - owed
    if rest > 0:
        if credited:
            lines.append(MatchLine(movement, TO_REFUND, rest, REASON_CREDITED, via, customer, _spread(rest, credited)))
        else:
            lines.append(MatchLine(movement, CREDIT_ON_CUSTOMER, rest, REASON_OVERPAID, via, customer))
    return lines


def _spread(amount: Decimal, targets: list[OpenItem]) -> tuple[Allocation, ...]:
    """``amount`` over documents that cannot take it as a payment (credited or already paid): each
    up to its total, in the order named, the rest on the last one, so that the amounts add up to
    the movement's and say which document the money came for.

    >>> from datetime import date
    >>> a = OpenItem("F1", "K", "", "invoice", date(2027, 1, 1), date(2027, 2, 1), Decimal("60.00"), None, "C1")
    >>> b = OpenItem("F2", "K", "", "invoice", date(2027, 1, 1), date(2027, 2, 1), Decimal("30.00"), None, "C2")
    >>> [(x.number, x.amount) for x in _spread(Decimal("100.00"), [a, b])]
    [('F1', Decimal('60.00')), ('F2', Decimal('40.00'))]
    """
    out, left = [], amount
    for n, t in enumerate(targets):
        part = left if n == len(targets) - 1 else min(left, t.total)
        if part > 0 or not out:
            out.append(Allocation(t.number, t.customer_id, part))
        left -= part
    return tuple(out)


def _suggest(movement: Movement, items: list[OpenItem], known: Known,
             open_now: dict[str, Decimal]) -> MatchLine | None:
    iban = _iban(movement.counterparty_iban)
    if not iban:
        return None
    customers = {c for c, ibans in known.ibans.items() if iban in ibans}
    candidates = sorted((t for t in items if t.customer_id in customers and t.payable
                         and open_now[t.number] == movement.amount), key=lambda t: (t.due_date, t.number))
    if not candidates:
        return None
    first = candidates[0]
    return MatchLine(movement, SUGGESTION, movement.amount, REASON_SAME_IBAN_AMOUNT, VIA_IBAN_AMOUNT,
                     first.customer_id, (Allocation(first.number, first.customer_id, movement.amount),))


# a structured reference typed in free text: +++202/7000/00122+++, 202/7000/00122, 202 7000 00122,
# or the 12 digits in a row
_REFERENCE_IN_TEXT = re.compile(r"(?<!\d)(\d{3})[/ .]?(\d{4})[/ .]?(\d{5})(?!\d)")


def _named_in(text: str, by_reference: dict[str, OpenItem], by_number: dict[str, OpenItem],
              number_pattern: re.Pattern[str] | None) -> list[OpenItem]:
    """The documents a free communication names, in the order it names them, each once."""
    if not text:
        return []
    found: list[tuple[int, OpenItem]] = []
    if number_pattern is not None:
        for m in number_pattern.finditer(text):
            item = by_number.get(m.group(0).casefold())
            if item is not None:
                found.append((m.start(), item))
    for m in _REFERENCE_IN_TEXT.finditer(text):
        item = by_reference.get("".join(m.groups()))
        if item is not None:
            found.append((m.start(), item))
    seen: set[str] = set()
    out = []
    for _, item in sorted(found, key=lambda pair: pair[0]):
        if item.number not in seen:
            seen.add(item.number)
            out.append(item)
    return out


def _number_pattern(numbers: Iterable[str]) -> re.Pattern[str] | None:
    """One regular expression for all document numbers, longest first, not inside a longer word
    or number (``2027-000001`` does not match inside ``2027-0000012``)."""
    unique = sorted({n for n in numbers if n}, key=len, reverse=True)
    if not unique:
        return None
    body = "|".join(re.escape(n) for n in unique)
    return re.compile(rf"(?<![0-9A-Za-z])(?:{body})(?![0-9A-Za-z])", re.IGNORECASE)


def _iban(text: str) -> str:
    return "".join(text.split()).upper()
