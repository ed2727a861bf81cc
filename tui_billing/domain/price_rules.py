"""A line's price over time: index adjustments (E3) and step-ups (E5), as dated changes.

Every change starts on a date and turns the price in force into a new one:
- a step-up adds an amount, or a percentage of the price in force, rounded to the cent;
- an index adjustment k (k = 1, 2, ...) compares the index of ``base_month + 12k months``
  with that of ``base_month + 12(k-1) months`` and applies ``share`` percent of the
  variation to the price in force, rounded to the cent half up; it starts on the first day
  of the adjustment month on or after the month of the newer index.
When an index value is missing the adjustment cannot be computed: the price stays the last
one (a change of kind "missing", with a warning), and so do the later adjustments, which
build on it: nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tui_billing.domain import display
from tui_billing.domain.descriptions import format_date
from tui_billing.domain.i18n import _
from tui_billing.domain.indexation import (
    IndexSeriesData,
    IndexVariation,
    MissingIndex,
    index_variation,
    month_text,
    shift_months,
)
from tui_billing.domain.money import CENT
from tui_billing.domain.number_text import decimal_text, index_text

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class IndexRule:
    """A line indexed to a series: share of the variation, adjustment month, base month."""

    series: str
    share: Decimal  # percent of the variation applied: 75, 100
    month: int  # 1-12: the new price applies from the first day of this month each year
    base_month: date  # the month of the index the line's price refers to (first day)


@dataclass(frozen=True, slots=True)
class StepRule:
    """A step-up: from ``start`` the price changes by ``amount`` or by ``percent``."""

    start: date
    amount: Decimal | None = None
    percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PriceRules:
    """How a line's price changes over time."""

    index: IndexRule | None = None
    steps: tuple[StepRule, ...] = ()


def number_text(value: Decimal, language: str, places: int = 2) -> str:
    """``1,234.50`` in English, ``1.234,50`` in Italian; the sign kept."""
    text = f"{value:,.{places}f}"
    if language == "it":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent_text(value: Decimal, language: str) -> str:
    """A percentage as written in a description: ``+1.6%``, ``75%``, ``+1,6%``."""
    text = decimal_text(value)
    if language == "it":
        text = text.replace(".", ",")
    return text + "%"


def _signed(text: str, value: Decimal) -> str:
    return text if value < 0 else "+" + text


@dataclass(frozen=True, slots=True)
class PriceChange:
    """One dated change of a line's price, with everything that went into it."""

    start: date
    kind: str  # "index", "step" or "missing"
    old_price: Decimal
    new_price: Decimal
    share: Decimal | None = None
    variation: IndexVariation | None = None
    step: StepRule | None = None
    warning: str | None = None
    series: str | None = None

    def note(self, language: str = "en") -> str:
        """What applied, for the invoice line description (after the line's own text)."""
        day = format_date(self.start)
        it = language == "it"
        if self.kind == "missing":
            if it:
                return (
                    f" - indice {self.series} non disponibile per l'adeguamento del {day}: "
                    f"mantenuto l'ultimo prezzo"
                )
            return f" - index {self.series} not available for the {day} adjustment: last price kept"
        if self.kind == "index":
            var = self.variation
            assert var is not None and self.share is not None
            detail = (
                f"{self.series} {_signed(percent_text(var.percent, language), var.percent)}"
                f" x {percent_text(self.share, language)}"
            )
            if it:
                return f" - prezzo adeguato dal {day} ({detail})"
            return f" - price indexed from {day} ({detail})"
        step = self.step
        assert step is not None
        if step.amount is not None:
            change = _signed(number_text(step.amount, language), step.amount)
        else:
            assert step.percent is not None
            change = _signed(percent_text(step.percent, language), step.percent)
        if it:
            return f" - incremento dal {day}: {change}"
        return f" - step-up from {day}: {change}"

    def to_json(self) -> dict[str, Any]:
        """The computation, as ``contract price-history --json`` prints it."""
        out: dict[str, Any] = {
            "from": self.start.isoformat(),
            "kind": self.kind,
            "old_price": f"{self.old_price:.2f}",
            "new_price": f"{self.new_price:.2f}",
        }
        if self.kind in ("index", "missing"):
            out["series"] = self.series
            assert self.share is not None
            out["share_percent"] = decimal_text(self.share)
        if self.variation is not None:
            out.update(self.variation.to_json())
            out["applied_percent"] = decimal_text(
                applied_percent(self.variation.percent, self.share)
            )
        if self.step is not None:
            out["step_amount"] = f"{self.step.amount:.2f}" if self.step.amount is not None else None
            out["step_percent"] = (
                decimal_text(self.step.percent) if self.step.percent is not None else None
            )
        if self.warning:
            out["warning"] = self.warning
        return out

    def explain(self) -> list[str]:
        """The computation as lines of text in the language in use, for the TUI and the
        CLI (Italian numbers in Italian; the English lines keep their plain numbers)."""
        day = format_date(self.start)
        old_price, new_price = _shown(f"{self.old_price:.2f}"), _shown(f"{self.new_price:.2f}")
        if self.kind == "step":
            step = self.step
            assert step is not None
            how = (
                f"+ {_shown(f'{step.amount:.2f}')}"
                if step.amount is not None
                else f"x (1 + {_shown(decimal_text(step.percent or Decimal(0)))}%)"
            )
            return [
                _("from {day}: step-up {old} {how} = {new}").format(
                    day=day, old=old_price, how=how, new=new_price
                )
            ]
        if self.kind == "missing":
            return [
                _("from {day}: {warning}; the price stays {price}").format(
                    day=day, warning=self.warning, price=new_price
                )
            ]
        var = self.variation
        assert var is not None and self.share is not None
        old, new = _shown(index_text(var.old.value)), _shown(index_text(var.new.value))
        new_in_old = _shown(index_text(var.new_in_old_base))
        percent = _shown(index_text(var.percent))
        lines = [
            _("from {day}: index {series}").format(day=day, series=var.series),
            "  "
            + _("base index {month}: {value} (base {base}=100)").format(
                month=month_text(var.old.month), value=old, base=var.old.base
            ),
            "  "
            + _("new index {month}: {value} (base {base}=100)").format(
                month=month_text(var.new.month), value=new, base=var.new.base
            ),
        ]
        if var.coefficient is not None:
            coefficient = _shown(decimal_text(var.coefficient))
            lines.append(
                "  "
                + _(
                    "linking coefficient {new_base}->{old_base}: {coefficient}; new index in "
                    "base {old_base}: {new} x {coefficient} = {result}"
                ).format(
                    new_base=var.new.base,
                    old_base=var.old.base,
                    coefficient=coefficient,
                    new=new,
                    result=new_in_old,
                )
            )
        applied = _shown(decimal_text(applied_percent(var.percent, self.share)))
        lines += [
            "  "
            + _("variation: ({new} / {old} - 1) x 100 = {percent}%").format(
                new=new_in_old, old=old, percent=percent
            ),
            "  "
            + _("share: {share}% of {percent}% = {applied}%").format(
                share=_shown(decimal_text(self.share)), percent=percent, applied=applied
            ),
            "  "
            + _("price: {old} x (1 + {applied}%) = {new}").format(
                old=old_price, applied=applied, new=new_price
            ),
        ]
        return lines


def _shown(text: str) -> str:
    """A plain decimal (``1234.5``) as the Italian read it (``1.234,5``) when the program
    speaks Italian; as it is in English."""
    if display.current_style() is not display.ITALIAN:
        return text
    places = len(text.partition(".")[2])
    return display.number(Decimal(text), places, places)


def applied_percent(variation: Decimal, share: Decimal | None) -> Decimal:
    """The share of a variation that is applied, in percent (exact)."""
    return variation * (share if share is not None else HUNDRED) / HUNDRED


def round_price(value: Decimal) -> Decimal:
    """A price to the cent, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def index_dates(rule: IndexRule, until: date) -> list[tuple[date, date, date]]:
    """``(old index month, new index month, start)`` of each adjustment starting by ``until``."""
    found: list[tuple[date, date, date]] = []
    k = 1
    while True:
        new_month = shift_months(rule.base_month, 12 * k)
        year = new_month.year if rule.month >= new_month.month else new_month.year + 1
        start = date(year, rule.month, 1)
        if start > until:
            return found
        found.append((shift_months(rule.base_month, 12 * (k - 1)), new_month, start))
        k += 1


def price_changes(
    rules: PriceRules, base_price: Decimal, series: Mapping[str, IndexSeriesData], until: date
) -> list[PriceChange]:
    """Every change of the price starting on or before ``until``, in order (a step-up before
    an index adjustment starting the same day)."""
    events: list[tuple[date, int, object]] = [
        (s.start, 0, s) for s in rules.steps if s.start <= until
    ]
    if rules.index is not None:
        events += [(start, 1, (old, new)) for old, new, start in index_dates(rules.index, until)]
    events.sort(key=lambda e: (e[0], e[1]))
    price = base_price
    stuck: str | None = None  # the first missing value: later adjustments cannot build on it
    changes = []
    for start, order, event in events:
        if order == 0:
            step = event
            assert isinstance(step, StepRule)
            if step.amount is not None:
                new_price = round_price(price + step.amount)
            else:
                assert step.percent is not None
                new_price = round_price(price * (1 + step.percent / HUNDRED))
            changes.append(PriceChange(start, "step", price, new_price, step=step))
            price = new_price
            continue
        rule = rules.index
        assert rule is not None
        assert isinstance(event, tuple)
        old_month, new_month = event
        if stuck is None:
            data = series.get(rule.series)
            try:
                if data is None:
                    raise MissingIndex(f"index series {rule.series} is not in the database")
                variation = index_variation(data, old_month, new_month)
            except MissingIndex as exc:
                stuck = exc.reason
            else:
                new_price = round_price(
                    price * (1 + applied_percent(variation.percent, rule.share) / HUNDRED)
                )
                changes.append(
                    PriceChange(
                        start, "index", price, new_price, rule.share, variation, series=rule.series
                    )
                )
                price = new_price
                continue
        changes.append(
            PriceChange(
                start,
                "missing",
                price,
                price,
                rule.share,
                series=rule.series,
                warning=f"{stuck} (needed for the adjustment of {format_date(start)}); billed at "
                f"the last price {price:.2f}",
            )
        )
    return changes


def change_on(changes: list[PriceChange], day: date) -> PriceChange | None:
    """The latest change in force on ``day``; None before the first one."""
    found = None
    for change in changes:
        if change.start > day:
            break
        found = change
    return found


__all__ = [
    "IndexRule",
    "PriceChange",
    "PriceRules",
    "StepRule",
    "applied_percent",
    "change_on",
    "index_dates",
    "number_text",
    "percent_text",
    "price_changes",
]
