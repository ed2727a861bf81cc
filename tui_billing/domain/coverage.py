"""What a contract has invoiced, line by line, and its installments cut to the days not
invoiced yet: nothing is billed twice (C3), whatever the operator changed since.

The schedule engine computes what the contract's terms bill *now*; after a change of
frequency, start date or alignment its periods no longer match the ones invoiced. The
rules here make the two meet:

- A line's *coverage* is the days of its invoiced installment lines (by line key). A
  computed period of the line that touches covered days is cut to the days not covered
  (one invoice line per run of them), each priced as the schedule prices a short period:
  measured month by month (in days with a price period of days or weeks), and always
  prorated, whatever the contract says: a remainder billed whole would bill covered days
  again. A period wholly covered is dropped, and so is a one-off line invoiced once.
- A line keeps its coverage through every edit (its key survives). A removed line's
  coverage passes to the line that replaced it: the first line of the same service (same
  description) whose own coverage does not overlap it, so a line removed and added back
  does not bill its days again, while a second line billed alongside (a second seat)
  keeps billing its own.
- A revenue-based line's remainder bills its share (by the same measure) of the amount
  the period's revenue gives.
- Credit notes come from balancing (an advance line's ``KEY:balance`` lines): they
  reconcile amounts and neither add to nor take from the line's own days. A balancing
  period that overlaps a period already balanced is dropped: its figure cannot be cut.
- Late charges keep their own account of what they billed (``billing.late_interest``).
- A cut installment keeps its invoice date; its period becomes its lines' span, and its
  key follows its period (``START/END@DATE``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP
from fractions import Fraction

from tui_billing.domain.dates import ONE_DAY
from tui_billing.domain.descriptions import period_suffix
from tui_billing.domain.economics import ContractEconomics
from tui_billing.domain.installments import InstallmentLine, InstallmentSpec, installment_key
from tui_billing.domain.money import CENT
from tui_billing.domain.pricing import measure_parts, priced, ratio_parts
from tui_billing.domain.terms import ContractTerms, LineTerms

#: One invoiced line as an installment stores it: (line key, description, ISO start, ISO
#: end), the dates None for a one-off line.
BilledLine = tuple[str, str, str | None, str | None]
Span = tuple[date, date]

BALANCE_SUFFIX = ":balance"


class LineCoverage:
    """The days one line key has invoiced, and whether it invoiced a one-off line."""

    __slots__ = ("exact", "first", "last", "one_off", "descriptions", "_ranges")

    def __init__(self) -> None:
        self.exact: set[tuple[str, str]] = set()  # (ISO start, ISO end) of each period
        self.first: str = ""  # earliest ISO start, latest ISO end ("" while none)
        self.last: str = ""
        self.one_off = False
        self.descriptions: list[tuple[str, str | None, str | None]] = []
        self._ranges: list[Span] | None = None

    def merge(self, other: LineCoverage) -> LineCoverage:
        """A new coverage holding this one's days and ``other``'s."""
        merged = LineCoverage()
        merged.exact = self.exact | other.exact
        firsts = [f for f in (self.first, other.first) if f]
        merged.first = min(firsts) if firsts else ""
        merged.last = max(self.last, other.last)
        merged.one_off = self.one_off or other.one_off
        merged.descriptions = self.descriptions + other.descriptions
        return merged

    @property
    def ranges(self) -> list[Span]:
        """The covered days as sorted, disjoint, non-adjacent ``(first, last)`` runs."""
        if self._ranges is None:
            self._ranges = merge_spans(
                (date.fromisoformat(s), date.fromisoformat(e)) for s, e in self.exact
            )
        return self._ranges

    def overlaps(self, other: LineCoverage) -> bool:
        """Whether the two share a covered day."""
        if not self.exact or not other.exact or self.first > other.last or other.first > self.last:
            return False
        return any(not _is_outside(a, b, self.ranges) for a, b in other.ranges)


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """``spans`` (days included) as sorted, disjoint runs; touching runs are joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or (start - merged[-1][1]).days == 1):
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def uncovered(start: date, end: date, covered: Sequence[Span]) -> list[Span]:
    """The days of ``[start, end]`` outside the sorted, disjoint ``covered`` runs."""
    gaps = []
    day = start
    for first, last in covered:
        if last < day:
            continue
        if first > end:
            break
        if first > day:
            gaps.append((day, first - ONE_DAY))
        if last >= end:
            return gaps
        day = last + ONE_DAY
    if day <= end:
        gaps.append((day, end))
    return gaps


def _is_outside(start: date, end: date, covered: Sequence[Span]) -> bool:
    return uncovered(start, end, covered) == [(start, end)]


def coverage_of(billed: Iterable[BilledLine]) -> dict[str, LineCoverage]:
    """The coverage of each line key from the lines of a contract's invoiced installments."""
    found: dict[str, LineCoverage] = {}
    for key, description, start, end in billed:  # the hot path: plain attribute work
        entry = found.get(key)
        if entry is None:
            entry = found[key] = LineCoverage()
        entry.descriptions.append((description, start, end))
        if start is None or end is None:
            entry.one_off = True
            continue
        entry.exact.add((start, end))
        if not entry.first or start < entry.first:
            entry.first = start
        if end > entry.last:
            entry.last = end
    return found


# ---------------------------------------------------------------------------------------
# A removed line's coverage passes to the line that replaced it
# ---------------------------------------------------------------------------------------


def _service_names(coverage: LineCoverage, language: str) -> set[str]:
    """The line's own description as its invoiced lines show it (their period text off)."""
    names = set()
    for text, start, end in coverage.descriptions:
        if start is not None and end is not None:
            s, e = date.fromisoformat(start), date.fromisoformat(end)
            for lang in (language, "it", "en"):
                suffix = period_suffix(s, e, lang)
                if text.endswith(suffix):
                    text = text[: -len(suffix)]
                    break
        names.add(text)
    return names


def _same_service(line: LineTerms, names: set[str], exact: bool) -> bool:
    if exact:
        return line.description in names
    prefix = line.description + " - "  # an economics note follows the description
    return any(name.startswith(prefix) for name in names)


def effective_coverage(
    terms: ContractTerms, billed: dict[str, LineCoverage]
) -> dict[str, LineCoverage]:
    """The coverage each key of the contract's lines bills against: its own, plus that of
    the removed lines it replaced (see the module's rules). Other keys (balancing, late
    charges) keep their own."""
    return _passed_on(terms, billed)[0]


def coverage_heirs(terms: ContractTerms, billed: dict[str, LineCoverage]) -> dict[str, str]:
    """The key of the line each removed line's coverage passed to, by the removed key
    (removed lines without an heir are left out)."""
    return _passed_on(terms, billed)[1]


def _passed_on(
    terms: ContractTerms, billed: dict[str, LineCoverage]
) -> tuple[dict[str, LineCoverage], dict[str, str]]:
    """:func:`effective_coverage` and :func:`coverage_heirs`."""
    current = {line.key for line in terms.lines}
    orphans = [k for k in billed if k not in current and ":" not in k]
    if not orphans:
        return billed, {}
    result = dict(billed)
    heirs: dict[str, str] = {}
    orphans.sort(key=lambda k: (len(k), k))  # line keys are ids: older lines first
    for orphan in orphans:
        coverage = result.pop(orphan)
        names = _service_names(coverage, terms.language)
        for exact in (True, False):
            heir = _heir(terms.lines, result, coverage, names, exact)
            if heir is not None:
                heirs[orphan] = heir.key
                _inherit(result, heir.key, coverage)
                balanced = result.pop(orphan + BALANCE_SUFFIX, None)
                if balanced is not None:  # the balancing of an advance line goes with it
                    _inherit(result, heir.key + BALANCE_SUFFIX, balanced)
                break
    return result, heirs


def _inherit(result: dict[str, LineCoverage], key: str, coverage: LineCoverage) -> None:
    own = result.get(key)
    result[key] = coverage if own is None else own.merge(coverage)


def _heir(
    lines: Sequence[LineTerms],
    result: dict[str, LineCoverage],
    coverage: LineCoverage,
    names: set[str],
    exact: bool,
) -> LineTerms | None:
    """The first line of the same service that can take ``coverage`` over."""
    for line in lines:
        if not _same_service(line, names, exact):
            continue
        own = result.get(line.key)
        if line.recurring and coverage.exact and (own is None or not own.overlaps(coverage)):
            return line
        if not line.recurring and coverage.one_off and (own is None or not own.one_off):
            return line
    return None


# ---------------------------------------------------------------------------------------
# Cutting installments to what is not invoiced
# ---------------------------------------------------------------------------------------


_ISO: dict[date, str] = {}


def _iso(day: date) -> str:
    text = _ISO.get(day)
    if text is None:
        if len(_ISO) >= 65_536:
            _ISO.clear()
        text = _ISO[day] = day.isoformat()
    return text


def _retitled(text: str, start: date, end: date, piece: Span, language: str) -> str:
    """``text`` with the period it names (at its end) replaced by ``piece``."""
    for lang in (language, "it", "en"):
        suffix = period_suffix(start, end, lang)
        if text.endswith(suffix):
            return text[: -len(suffix)] + period_suffix(piece[0], piece[1], lang)
    return text


def _revenue_keys(terms: ContractTerms) -> set[str]:
    economics = terms.economics
    if not isinstance(economics, ContractEconomics):
        return set()
    return {key for key, rules in economics.lines.items() if rules.revenue is not None}


def _measure(start: date, end: date, in_days: bool) -> Fraction:
    if in_days:
        return Fraction((end - start).days + 1)
    return Fraction(*measure_parts(start, end))


def cut_line(
    terms: ContractTerms,
    line: LineTerms,
    li: InstallmentLine,
    gaps: Sequence[Span],
    revenue: bool = False,
) -> list[InstallmentLine]:
    """The invoice lines of ``li`` for the days ``gaps`` (runs within its period), each
    priced as a short period (a revenue line: its share of ``li``'s amount)."""
    start, end = li.period_start, li.period_end
    assert start is not None and end is not None
    frequency = terms.line_frequency(line)
    assert frequency is not None
    reference = line.price_period or frequency
    # The price per price period the line was billed at: a piece is priced from it.
    price = li.base_price if li.base_price is not None else li.unit_price
    made = []
    for piece in gaps:
        text = _retitled(li.description, start, end, piece, terms.language)
        if revenue:
            in_days = reference.days is not None
            share = _measure(*piece, in_days) / _measure(start, end, in_days)
            amount = (li.amount * share.numerator / share.denominator).quantize(
                CENT, rounding=ROUND_HALF_UP
            )
            made.append(
                InstallmentLine(
                    li.line_key, text, piece[0], piece[1], li.quantity, amount, amount, li.vat_rate
                )
            )
            continue
        num, den = ratio_parts(
            piece[0], piece[1], start, end, frequency.months, reference.months, reference.days, True
        )
        amount, quantity, unit_price = priced(line.quantity, price, num, den)
        made.append(
            InstallmentLine(
                li.line_key,
                text,
                piece[0],
                piece[1],
                quantity,
                unit_price,
                amount,
                li.vat_rate,
                base_price=price,
            )
        )
    return made


def unbilled(
    terms: ContractTerms, specs: Sequence[InstallmentSpec], billed: Iterable[BilledLine]
) -> Sequence[InstallmentSpec]:
    """``specs`` (what the terms bill) less what the contract has invoiced (``billed``: the
    lines of its invoiced installments): periods cut to their days not invoiced, lines and
    installments wholly invoiced left out. ``specs`` itself when nothing is left out."""
    coverage = effective_coverage(terms, coverage_of(billed))
    if not coverage:
        return specs
    lines = {line.key: line for line in terms.lines}
    revenue = _revenue_keys(terms)
    result: list[InstallmentSpec] = []
    changed = False
    for spec in specs:
        kept: list[InstallmentLine] = []
        touched = False
        for li in spec.lines:
            key = li.line_key
            covered = coverage.get(key)
            if covered is None:
                kept.append(li)
                continue
            start, end = li.period_start, li.period_end
            if start is None or end is None:
                if covered.one_off:
                    touched = True  # a one-off line is billed once
                else:
                    kept.append(li)
                continue
            first, last = _iso(start), _iso(end)
            if not covered.exact or first > covered.last or last < covered.first:
                kept.append(li)  # the usual case: a period after all that is invoiced
                continue
            if (first, last) in covered.exact:
                touched = True
                continue
            line = lines.get(key)
            if line is None and not key.endswith(BALANCE_SUFFIX):
                kept.append(li)  # a late charge: it keeps its own account
                continue
            gaps = uncovered(start, end, covered.ranges)
            if gaps == [(start, end)]:
                kept.append(li)
                continue
            touched = True
            if gaps and line is not None:  # a balancing period is never cut: dropped
                kept.extend(cut_line(terms, line, li, gaps, key in revenue))
        if not touched:
            result.append(spec)
            continue
        changed = True
        if kept:
            result.append(_rebuilt(spec, tuple(kept)))
    if not changed:
        return specs
    return _joined(result)


def _rebuilt(spec: InstallmentSpec, lines: tuple[InstallmentLine, ...]) -> InstallmentSpec:
    """``spec`` with ``lines``; its period their span, its key following the period."""
    starts = [li.period_start for li in lines if li.period_start is not None]
    ends = [li.period_end for li in lines if li.period_end is not None]
    if not starts or spec.period_start is None or spec.period_end is None:
        return replace(spec, lines=lines)
    start, end = min(starts), max(ends)
    if (start, end) == (spec.period_start, spec.period_end) or spec.key != installment_key(
        spec.period_start, spec.period_end, spec.invoice_date
    ):
        return replace(spec, lines=lines)
    return replace(
        spec,
        key=installment_key(start, end, spec.invoice_date),
        period_start=start,
        period_end=end,
        lines=lines,
    )


def _joined(specs: list[InstallmentSpec]) -> list[InstallmentSpec]:
    """``specs`` in invoice-date order, those that came to share a key made one (their
    period and invoice date coincide: one installment)."""
    by_key: dict[str, int] = {}
    result: list[InstallmentSpec] = []
    for spec in specs:
        at = by_key.get(spec.key)
        if at is None:
            by_key[spec.key] = len(result)
            result.append(spec)
        else:
            result[at] = replace(result[at], lines=result[at].lines + spec.lines)
    result.sort(key=lambda s: (s.invoice_date, s.period_start or date.min))
    return result


__all__ = [
    "BALANCE_SUFFIX",
    "BilledLine",
    "LineCoverage",
    "coverage_heirs",
    "coverage_of",
    "cut_line",
    "effective_coverage",
    "merge_spans",
    "uncovered",
    "unbilled",
]
