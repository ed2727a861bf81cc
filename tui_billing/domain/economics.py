"""Contract economics applied to the installments the schedule computed: indexed and
stepped prices (E3, E5), revenue-based lines (E4), advance and balancing (E6).

The schedule engine prices every line at its unit price; this module then
- re-prices the lines whose price changes over time: a period that a change cuts is billed
  as one invoice line per price (same line key, each with its sub-period, so the lines a
  billed invoice holds are recognised and never billed again), and the description says
  what applied;
- bills revenue-based lines at their percentage of the previous period's revenue (at least
  the guaranteed minimum, the line's own price); a period whose figure is not reported yet
  is held back: its installment is a :class:`WaitingSpec`;
- adds, at the end of each balancing period of an advance line, a balancing installment:
  the actual amount (figure x rate) minus the advances of its periods, negative when the
  advances were more (a credit note).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from tui_billing.domain.descriptions import format_date, period_suffix
from tui_billing.domain.economics_rules import LineEconomics
from tui_billing.domain.indexation import IndexSeriesData
from tui_billing.domain.installments import InstallmentLine, InstallmentSpec, installment_key
from tui_billing.domain.money import CENT, ZERO
from tui_billing.domain.periods import periods_until
from tui_billing.domain.price_rules import (
    PriceChange,
    change_on,
    number_text,
    percent_text,
    price_changes,
)
from tui_billing.domain.pricing import measure_parts, priced, ratio_parts, sub_period_ratios
from tui_billing.domain.revenue_rules import Figure, RevenueRule, figure_total
from tui_billing.domain.terms import ContractTerms, LineTerms

ONE_DAY = timedelta(days=1)
BALANCE_PREFIX = "balance:"


@dataclass(frozen=True, slots=True)
class ContractEconomics:
    """What a contract's economics need: the rules of its lines (by line key), its revenue
    figures and the index series its lines refer to."""

    lines: Mapping[str, LineEconomics]
    figures: tuple[Figure, ...] = ()
    series: Mapping[str, IndexSeriesData] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WaitingSpec(InstallmentSpec):
    """An installment held back until a revenue figure is reported (status 'waiting')."""

    reason: str = ""


def installment_status(spec: InstallmentSpec) -> str:
    """The status an installment is stored with: 'waiting' while held back, else 'pending'."""
    return "waiting" if isinstance(spec, WaitingSpec) else "pending"


def _raw_period(
    terms: ContractTerms, line: LineTerms, day: date
) -> tuple[int, tuple[Any, ...], tuple[Any, ...]]:
    """(position, raw period, all periods so far) of the line's period holding ``day``."""
    frequency = terms.line_frequency(line)
    anchor = terms.line_anchor(line)
    assert frequency is not None and anchor is not None
    periods = periods_until(anchor, frequency, terms.alignment, terms.year_end_cut, day)
    for position in range(len(periods) - 1, -1, -1):
        if periods[position][0] <= day or position == 0:
            return position, periods[position], periods
    raise AssertionError("no period")  # pragma: no cover


def _clipped(terms: ContractTerms, line: LineTerms, raw: tuple[Any, ...]) -> tuple[Any, ...]:
    window = terms.line_window(line)
    assert window is not None
    first, last = window
    return (max(raw[0], first), raw[1] if last is None else min(raw[1], last), raw[2], raw[3])


def _ratio(terms: ContractTerms, line: LineTerms, li: InstallmentLine) -> Fraction:
    """Period length / price-period length of an invoice line, as the schedule computed it."""
    assert li.period_start is not None and li.period_end is not None
    frequency = terms.line_frequency(line)
    assert frequency is not None
    _, raw, _ = _raw_period(terms, line, li.period_start)
    period = _clipped(terms, line, raw)
    reference = line.price_period or frequency
    if (li.period_start, li.period_end) != period[:2] and line.price_period is not None:
        for piece, num, den in sub_period_ratios(
            period, frequency, line.price_period, terms.prorate
        ):
            if (piece[0], piece[1]) == (li.period_start, li.period_end):
                return Fraction(num, den)
    return Fraction(
        *ratio_parts(
            period[0],
            period[1],
            period[2],
            period[3],
            frequency.months,
            reference.months,
            reference.days,
            terms.prorate,
        )
    )


def _measure(line: LineTerms, frequency_days: int | None, start: date, end: date) -> Fraction:
    if frequency_days is not None:
        return Fraction((end - start).days + 1)
    return Fraction(*measure_parts(start, end))


def _reprice(
    terms: ContractTerms, line: LineTerms, li: InstallmentLine, changes: list[PriceChange]
) -> list[InstallmentLine]:
    """The invoice lines of ``li`` at the prices in force over its period."""
    start, end = li.period_start, li.period_end
    if start is None or end is None:
        return [li]
    before = change_on(changes, start)
    cuts = sorted({c.start for c in changes if start < c.start <= end})
    if before is None and not cuts:
        return [li]
    ratio = _ratio(terms, line, li)
    frequency = terms.line_frequency(line)
    reference = line.price_period or frequency
    days = reference.days if reference is not None else None
    total = _measure(line, days, start, end)
    language = terms.language
    bounds = [start, *cuts]
    ends = [cut - ONE_DAY for cut in cuts] + [end]
    made = []
    for piece_start, piece_end in zip(bounds, ends, strict=True):
        change = change_on(changes, piece_start)
        price = change.new_price if change is not None else line.unit_price
        share = ratio * _measure(line, days, piece_start, piece_end) / total
        amount, quantity, unit_price = priced(
            line.quantity, price, share.numerator, share.denominator
        )
        made.append(
            InstallmentLine(
                li.line_key,
                line.description
                + (change.note(language) if change else "")
                + period_suffix(piece_start, piece_end, language),
                piece_start,
                piece_end,
                quantity,
                unit_price,
                amount,
                li.vat_rate,
                base_price=price,
            )
        )
    return made


def _previous_period(terms: ContractTerms, line: LineTerms, day: date) -> tuple[date, date]:
    """The period before the one holding ``day`` (nominal dates; before the first one, the
    same length back from its nominal start)."""
    position, raw, periods = _raw_period(terms, line, day)
    if position > 0:
        previous = periods[position - 1]
        return previous[2], previous[3]
    frequency = terms.line_frequency(line)
    assert frequency is not None
    return frequency.add(raw[2], -1), raw[2] - ONE_DAY


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _revenue(
    terms: ContractTerms,
    line: LineTerms,
    rule: RevenueRule,
    made: list[InstallmentLine],
    figures: tuple[Figure, ...],
) -> tuple[InstallmentLine, str | None]:
    """The one invoice line of a revenue-based line for the period of ``made`` (its pieces
    at the line's prices, the guaranteed minimum), and why it waits, if it does."""
    start, end = made[0].period_start, made[-1].period_end
    assert start is not None and end is not None
    language = terms.language
    it = language == "it"
    prev_start, prev_end = _previous_period(terms, line, start)
    span = f"{format_date(prev_start)}-{format_date(prev_end)}"
    span_it = f"dal {format_date(prev_start)} al {format_date(prev_end)}"
    suffix = period_suffix(start, end, language)
    revenue = figure_total(figures, prev_start, prev_end)
    if revenue is None:
        text = (
            f" - in attesa del fatturato {span_it}"
            if it
            else f" - waiting for the revenue of {span}"
        )
        reason = f"revenue of {span} not reported yet"
        return InstallmentLine(
            made[0].line_key,
            line.description + text + suffix,
            start,
            end,
            Decimal(1),
            ZERO,
            ZERO,
            made[0].vat_rate,
        ), reason
    # A line the per-period display split: its share of the period's revenue.
    _, raw, _ = _raw_period(terms, line, start)
    period = _clipped(terms, line, raw)
    share = Fraction(1)
    if (start, end) != period[:2]:
        share = Fraction(*measure_parts(start, end)) / Fraction(
            *measure_parts(period[0], period[1])
        )
    percent = rule.percent
    exact = revenue * percent / 100 * share.numerator / share.denominator
    amount = _money(exact)
    minimum = sum((li.amount for li in made), ZERO)
    pct, money = percent_text(percent, language), number_text(revenue, language)
    text = (
        f" - {pct} del fatturato {span_it} ({money})"
        if it
        else f" - {pct} of revenue {span} ({money})"
    )
    if rule.minimum and minimum > amount:
        amount = minimum
        shown = number_text(minimum, language)
        text += (
            f": applicato il minimo garantito {shown}"
            if it
            else f": guaranteed minimum {shown} applies"
        )
    return InstallmentLine(
        made[0].line_key,
        line.description + text + suffix,
        start,
        end,
        Decimal(1),
        amount,
        amount,
        made[0].vat_rate,
    ), None


def _balancing(
    terms: ContractTerms, economics: ContractEconomics, specs: list[InstallmentSpec], until: date
) -> list[InstallmentSpec]:
    """The balancing installments of the advance lines, up to ``until``."""
    found: list[InstallmentSpec] = []
    language = terms.language
    it = language == "it"
    for line in terms.lines:
        rules = economics.lines.get(line.key)
        if rules is None or rules.advance is None or not line.recurring:
            continue
        window = terms.line_window(line)
        anchor = terms.line_anchor(line)
        if window is None or anchor is None:
            continue
        first, last = window
        rule = rules.advance
        for raw in periods_until(anchor, rule.balance, terms.alignment, terms.year_end_cut, until):
            if last is not None and raw[0] > last:
                break
            start, end = max(raw[0], first), raw[1] if last is None else min(raw[1], last)
            if end < start:
                continue
            if end > until:
                break
            advances = sum(
                (
                    li.amount
                    for spec in specs
                    for li in spec.lines
                    if li.line_key == line.key
                    and li.period_start is not None
                    and li.period_start >= start
                    and li.period_end is not None
                    and li.period_end <= end
                ),
                ZERO,
            )
            key = BALANCE_PREFIX + installment_key(start, end, end)
            label = " - conguaglio" if it else " - balancing"
            suffix = period_suffix(start, end, language)
            figure = figure_total(economics.figures, start, end)
            line_key = f"{line.key}:balance"
            if figure is None:
                span = f"{format_date(start)}-{format_date(end)}"
                text = label + (
                    " in attesa del dato effettivo" if it else " waiting for the actual figure"
                )
                waiting = InstallmentLine(
                    line_key,
                    line.description + text + suffix,
                    start,
                    end,
                    Decimal(1),
                    ZERO,
                    ZERO,
                    line.vat_rate,
                )
                found.append(
                    WaitingSpec(
                        key,
                        start,
                        end,
                        end,
                        (waiting,),
                        f"actual figure of {span} not reported yet",
                    )
                )
                continue
            actual = _money(figure * rule.rate)
            difference = actual - advances
            if difference == 0:
                continue
            a, b = number_text(actual, language), number_text(advances, language)
            text = label + (
                f": effettivo {a} meno acconti {b}" if it else f": actual {a} less advances {b}"
            )
            found.append(
                InstallmentSpec(
                    key,
                    start,
                    end,
                    end,
                    (
                        InstallmentLine(
                            line_key,
                            line.description + text + suffix,
                            start,
                            end,
                            Decimal(1),
                            difference,
                            difference,
                            line.vat_rate,
                        ),
                    ),
                )
            )
    return found


def apply_economics(
    terms: ContractTerms, specs: list[InstallmentSpec], until: date
) -> list[InstallmentSpec]:
    """``specs`` (the schedule at plain unit prices) with the contract's economics applied."""
    economics = terms.economics
    if economics is None or terms.status != "active":
        return specs
    assert isinstance(economics, ContractEconomics)
    lines = {line.key: line for line in terms.lines}
    last_day = max(
        (li.period_end for spec in specs for li in spec.lines if li.period_end is not None),
        default=until,
    )
    changes = {
        key: price_changes(
            rules.prices, lines[key].unit_price, economics.series, max(last_day, until)
        )
        for key, rules in economics.lines.items()
        if rules.prices is not None and key in lines
    }
    result: list[InstallmentSpec] = []
    for spec in specs:
        new_lines: list[InstallmentLine] = []
        reasons: list[str] = []
        touched = False
        for li in spec.lines:
            rules = economics.lines.get(li.line_key)
            line = lines.get(li.line_key)
            if rules is None or line is None or li.period_start is None:
                new_lines.append(li)
                continue
            made = [li]
            if rules.prices is not None:
                made = _reprice(terms, line, li, changes[li.line_key])
            if rules.revenue is not None:
                revenue_line, reason = _revenue(terms, line, rules.revenue, made, economics.figures)
                made = [revenue_line]
                if reason:
                    reasons.append(f"{line.description}: {reason}")
            touched = touched or made != [li]
            new_lines.extend(made)
        if reasons:
            result.append(
                WaitingSpec(
                    spec.key,
                    spec.period_start,
                    spec.period_end,
                    spec.invoice_date,
                    tuple(new_lines),
                    "; ".join(reasons),
                )
            )
        elif touched:
            result.append(
                InstallmentSpec(
                    spec.key,
                    spec.period_start,
                    spec.period_end,
                    spec.invoice_date,
                    tuple(new_lines),
                )
            )
        else:
            result.append(spec)
    result += _balancing(terms, economics, result, until)
    result.sort(key=lambda s: (s.invoice_date, s.period_start or date.min, s.key))
    return result


def line_price_changes(terms: ContractTerms, until: date) -> dict[str, list[PriceChange]]:
    """The price changes of each priced line of ``terms`` up to ``until`` (by line key)."""
    economics = terms.economics
    if not isinstance(economics, ContractEconomics):
        return {}
    return {
        line.key: price_changes(rules.prices, line.unit_price, economics.series, until)
        for line in terms.lines
        if (rules := economics.lines.get(line.key)) is not None and rules.prices is not None
    }


__all__ = [
    "BALANCE_PREFIX",
    "ContractEconomics",
    "WaitingSpec",
    "apply_economics",
    "installment_status",
    "line_price_changes",
]
