"""A contract's life: its terms (duration, renewal, notice, price at renewal), the end of
each term, the notice deadline, and what a cancellation notice received on a day decides.

Terms are anchored like billing periods: term n of a contract renewed by its own duration
ends the day before start + n x duration (computed from the start, never chained, clamped
to the month's end), so an annual contract started on 29 February 2024 has terms ending
27 February 2025, 2026, 2027 and 28 February 2028, as its annual periods start on
28 February and 29 February 2028. A renewal by another length is anchored on the day
after the first term.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.i18n import N_, _, current_language
from tui_billing.domain.parsing import Reader

RENEWALS = ("none", "tacit", "manual")
MAX_NOTICE_DAYS = 366 * 3
#: Index review: the index of the month this many months before the renewal month is
#: compared with the same month a year earlier (ISTAT publishes about six weeks late).
INDEX_LAG_MONTHS = 2
ONE_DAY = timedelta(days=1)


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _italian_number(value: Decimal) -> str:
    return display.number(_number(value), style="it")


@dataclass(frozen=True, slots=True)
class RenewalPrice:
    """The price change at renewal: a percent change, or an index review (the yearly
    variation of ``index`` times ``share`` percent)."""

    percent: Decimal | None = None
    index: str | None = None
    share: Decimal = Decimal(100)

    def to_json(self) -> dict[str, str]:
        if self.index is not None:
            return {"index": self.index, "share": _number(self.share)}
        return {"percent": _number(self.percent or Decimal(0))}

    def text(self) -> str:
        """Canonical JSON, as stored."""
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_text(cls, text: str | None) -> RenewalPrice | None:
        if not text:
            return None
        data = json.loads(text)
        if "index" in data:
            return cls(index=data["index"], share=Decimal(data["share"]))
        return cls(percent=Decimal(data["percent"]))

    def describe(self, tr: Callable[[str], str] | None = None, language: str = "en") -> str:
        """``+3%``, ``-1.5%`` or ``FOI review x 75%`` (English unless ``tr`` translates and
        ``language`` is "it": ``+1,5%``, ``adeguamento FOI x 75%``)."""
        shown = _number if language != "it" else _italian_number
        if self.index is not None:
            return (tr or _english)(N_("{index} review x {share}%")).format(
                index=self.index, share=shown(self.share)
            )
        value = self.percent or Decimal(0)
        return f"{'+' if value > 0 else ''}{shown(value)}%"


_PRICE_TEXT = re.compile(
    r"^(?P<percent>[+-]?\d+(?:[.,]\d+)?)\s*%?$"
    r"|^(?P<index>[A-Za-z][A-Za-z0-9_-]*)(?:\s+(?:x\s*)?(?P<share>\d+(?:[.,]\d+)?)\s*%?)?$"
)


def renewal_price_from_text(text: str, path: str) -> dict[str, str]:
    """The price change as a form field or spreadsheet cell writes it: ``3``, ``+3%``,
    ``-1,5`` (a percent) or ``FOI``, ``FOI 75`` (an index review, share in percent)."""
    match = _PRICE_TEXT.match(text.strip())
    if not match:
        raise UserError(
            _(
                "not a price change ({value}): a percent such as +3 or an "
                "index review such as FOI 75"
            ).format(value=repr(text[:40])),
            path,
        )
    if match["percent"] is not None:
        return {"percent": match["percent"].replace(",", ".")}
    return {"index": match["index"], "share": (match["share"] or "100").replace(",", ".")}


def read_renewal_price(r: Reader, key: str = "renewal_price") -> RenewalPrice | None:
    """``{"percent": "3"}`` or ``{"index": "FOI", "share": "100"}``; None when absent.
    Typed text (a form, a spreadsheet) may write it as ``+3%`` or ``FOI 75``."""
    value = r.raw(key, None)
    if isinstance(value, str) and r.typed_text:
        if not value.strip():
            return None
        part: Reader | None = Reader(
            renewal_price_from_text(value, r.at(key)), r.at(key), typed_text=True
        )
    else:
        part = r.child(key)
    if part is None:
        return None
    percent = part.raw("percent", None)
    index = part.raw("index", None)
    if (percent is None) == (index is None):
        raise UserError(_("give either percent or index"), r.at(key))
    if percent is not None:
        value = part.decimal("percent", places=4, allow_negative=True)
        if not -100 <= value <= 100:
            raise UserError(_("must be a percentage between -100 and 100"), part.at("percent"))
        return RenewalPrice(percent=value)
    share = part.decimal("share", Decimal(100), places=4)
    if not 0 < share <= 100:
        raise UserError(_("must be a percentage above 0 and at most 100"), part.at("share"))
    return RenewalPrice(index=part.text("index"), share=share)


def read_lifecycle(r: Reader, start: date | None, end: date | None) -> dict[str, Any]:
    """A contract's life as stored columns, from an interchange record: ``end_date``
    follows from ``start_date`` and ``duration`` when not given. Errors name the field."""
    duration = r.frequency("duration")
    renewal = r.choice("renewal", RENEWALS, "none")
    renewal_duration = r.frequency("renewal_duration")
    notice_days = r.integer("notice_days", 0, minimum=0, maximum=MAX_NOTICE_DAYS)
    price = read_renewal_price(r)
    if duration is not None:
        if start is None:
            raise UserError(_("needs the contract's start date to count from"), r.at("duration"))
        if end is None:
            end = first_end(start, duration)
    if renewal != "none" and end is None:
        raise UserError(_("a renewing contract needs an end date or a duration"), r.at("renewal"))
    if renewal != "none" and renewal_duration is None and duration is None:
        raise UserError(
            _("a renewing contract needs its duration or renewal_duration"),
            r.at("renewal_duration"),
        )
    for key, value in (("renewal_duration", renewal_duration), ("renewal_price", price)):
        if renewal == "none" and value is not None:
            raise UserError(_("only a contract that renews has it (renewal is none)"), r.at(key))
    cancel = r.child("cancellation")
    cancellation: dict[str, Any] = {
        "cancel_notice_date": None,
        "cancel_reason": None,
        "cancel_end": None,
    }
    if cancel is not None:
        cancellation = {
            "cancel_notice_date": cancel.date("notice_date"),
            "cancel_reason": cancel.optional_text("reason", multiline=False),
            "cancel_end": cancel.date("ends_on"),
        }
        if start is not None and cancellation["cancel_end"] < start:
            raise UserError(_("is before the contract's start"), cancel.at("ends_on"))
    return {
        "end_date": end,
        "duration": _frequency_text(duration),
        "renewal": None if renewal == "none" else renewal,
        "renewal_duration": _frequency_text(renewal_duration),
        "notice_days": notice_days or None,
        "renewal_price": price.text() if price else None,
        **cancellation,
    }


def read_renewals(r: Reader) -> list[dict[str, Any]] | None:
    """The terms recorded by renewals (``renewals``), as export writes them; None when the
    record does not say (its recorded renewals are kept)."""
    if r.raw("renewals", None) is None:
        return None
    found = []
    for item in r.items("renewals"):
        start, end = item.date("from"), item.date("to")
        if end < start:
            raise UserError(
                _("{end} is before from {start}").format(end=end, start=start), item.at("to")
            )
        found.append(
            {
                "number": item.integer("term", minimum=2, maximum=10_000),
                "start_date": start,
                "end_date": end,
                "price_change": item.optional_text("price_change", multiline=False),
                "renewed_by": item.text("renewed_by", multiline=False),
            }
        )
    numbers = [t["number"] for t in found]
    if len(set(numbers)) != len(numbers):
        raise UserError(_("a term number is given twice"), r.at("renewals"))
    return found


def _frequency_text(frequency: Frequency | None) -> str | None:
    if frequency is None:
        return None
    as_json = frequency.to_json()
    return as_json if isinstance(as_json, str) else json.dumps(as_json, sort_keys=True)


def check_renewal_index(text: str | None, known: set[str] | frozenset[str], path: str) -> None:
    """Refuse an index review naming a series not in ``known`` (a typo would renew at the
    same price, saying only that the index is missing). The error names
    ``{path}.renewal_price.index``."""
    price = RenewalPrice.from_text(text)
    if price is not None and price.index is not None and price.index not in known:
        message = (
            _("unknown index series {series} (known: {known})")
            if known
            else _("unknown index series {series} (known: none; import its values first)")
        )
        raise UserError(
            message.format(series=repr(price.index), known=", ".join(sorted(known))),
            f"{path}.renewal_price.index",
        )


def first_end(start: date, duration: Frequency) -> date:
    """The last day of a first term of ``duration`` from ``start``."""
    return duration.add(start) - ONE_DAY


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """A contract's terms as they stand: ``end`` is the current term's last day (the
    contract's end date), ``term`` its number, ``first_end`` the first term's last day."""

    start: date | None
    end: date | None
    duration: Frequency | None = None
    renewal: str = "none"
    renewal_duration: Frequency | None = None
    notice_days: int = 0
    price: RenewalPrice | None = None
    term: int = 1
    first_end: date | None = None
    cancel_notice: date | None = None
    cancel_end: date | None = None

    @property
    def renews_by(self) -> Frequency | None:
        return self.renewal_duration or self.duration

    def term_end(self, number: int) -> date | None:
        """The last day of term ``number`` (1 is the first), anchored as the module says."""
        first = self.first_end or (self.end if self.term == 1 else None)
        if number <= 1 or first is None:
            return first
        renews = self.renews_by
        if renews is None:
            return None
        if (
            self.duration is not None
            and renews == self.duration
            and self.start is not None
            and first == first_end(self.start, self.duration)
        ):
            return self.duration.add(self.start, number) - ONE_DAY
        return renews.add(first + ONE_DAY, number - 1) - ONE_DAY

    def notice_deadline(self, end: date | None = None) -> date | None:
        """The last day a cancellation notice ends the contract at ``end`` (default: the
        current term's end): ``notice_days`` before it."""
        end = end or self.end
        if end is None:
            return None
        return end - timedelta(days=self.notice_days)

    @property
    def cancelled(self) -> bool:
        return self.cancel_end is not None

    def at_end(self) -> str:
        """What happens at the end of the current term, in one line, in English (as JSON
        output gives it); :meth:`at_end_text` is the same in the language in use."""
        return self._at_end(_english, "en")

    def at_end_text(self) -> str:
        """:meth:`at_end` in the language in use, for a person to read."""
        return self._at_end(_, current_language())

    def _at_end(self, tr: Callable[[str], str], language: str) -> str:
        if self.end is None:
            return tr(N_("open-ended: bills until cancelled"))
        if self.cancel_end is not None:
            if self.cancel_end > self.end:
                return tr(
                    N_("renews once more, then ends on {end} (cancelled after the notice deadline)")
                ).format(end=_day(self.cancel_end))
            return tr(N_("ends on {end} (cancelled)")).format(end=_day(self.cancel_end))
        if self.renewal == "tacit":
            values = {
                "period": self.renews_by.label(language) if self.renews_by else "?",
                "until": _day(self.term_end(self.term + 1) or self.end),
                "deadline": _day(self.notice_deadline() or self.end),
            }
            if self.price:
                return tr(
                    N_(
                        "renews by itself for {period} to {until}, price {price}, unless "
                        "cancelled by {deadline}"
                    )
                ).format(price=self.price.describe(tr, language), **values)
            return tr(
                N_("renews by itself for {period} to {until}, unless cancelled by {deadline}")
            ).format(**values)
        if self.renewal == "manual":
            return tr(N_("waits for a decision: renew, renew with a new price, or let it end"))
        return tr(N_("ends on {end} (no renewal)")).format(end=_day(self.end))


def _english(message: str) -> str:
    return message


def ended_reason(life: Lifecycle) -> str:
    """Why a contract billed to its end stopped: a billability reason."""
    end = _day(life.end) if life.end else "?"
    if life.cancel_end is not None:
        if life.cancel_notice:
            return _("the contract ended on {end}: cancelled (notice of {notice})").format(
                end=end, notice=_day(life.cancel_notice)
            )
        return _("the contract ended on {end}: cancelled").format(end=end)
    if life.renewal == "manual":
        return _(
            "the contract ended on {end}: its renewal waits for a decision (renew, or let it end)"
        ).format(end=end)
    if life.renewal == "tacit":
        return _("the contract ended on {end}: the billing run renews it").format(end=end)
    return _("the contract ended on {end} (no renewal)").format(end=end)


@dataclass(frozen=True, slots=True)
class CancelDecision:
    """What a cancellation notice decides: the last day billed and why."""

    ends_on: date
    reason: str
    term_of_end: int  # the term the contract ends with
    in_time: bool


def decide_cancellation(
    life: Lifecycle, notice: date, effective: date | None = None
) -> CancelDecision:
    """The end a notice received on ``notice`` gives: the end of the current term when it
    came at least ``notice_days`` before it, else the end of the next term (a tacit
    renewal); ``effective`` (an end agreed by both) overrides it when earlier (any day
    for an open-ended contract)."""
    if life.start is not None and notice < life.start:
        raise UserError(
            _("the notice date {notice} is before the contract's start {start}").format(
                notice=notice, start=life.start
            ),
            "--date",
        )
    term, end = life.term, life.end
    if end is None:  # open-ended: the notice runs its days from when it is received
        decided = CancelDecision(
            notice + timedelta(days=life.notice_days),
            f"open-ended contract: the notice of {life.notice_days} days "
            f"received on {_day(notice)} runs to "
            f"{_day(notice + timedelta(days=life.notice_days))}",
            term,
            True,
        )
    else:
        if life.renewal == "tacit":
            while notice > end:  # past the end: it has renewed by itself meanwhile
                following = life.term_end(term + 1)
                if following is None or following <= end:
                    break
                term, end = term + 1, following
        deadline = end - timedelta(days=life.notice_days)
        if life.renewal != "tacit":
            decided = CancelDecision(
                end,
                f"it does not renew by itself: it ends with term {term} on {_day(end)}",
                term,
                True,
            )
        elif notice <= deadline:
            decided = CancelDecision(
                end,
                f"notice received on {_day(notice)}, on or before the deadline "
                f"{_day(deadline)} ({life.notice_days} days before the end of term "
                f"{term}): the contract ends on {_day(end)}",
                term,
                True,
            )
        else:
            following = life.term_end(term + 1) or end
            decided = CancelDecision(
                following,
                f"notice received on {_day(notice)}, after the deadline "
                f"{_day(deadline)} ({life.notice_days} days before the end of term "
                f"{term} on {_day(end)}): the contract renews once more and ends "
                f"with term {term + 1} on {_day(following)}",
                term + 1,
                False,
            )
    if effective is None:
        return decided
    if life.start is not None and effective < life.start:
        raise UserError(
            _("{effective} is before the contract's start {start}").format(
                effective=effective, start=life.start
            ),
            "--effective",
        )
    if life.end is not None and effective > decided.ends_on:
        raise UserError(
            _(
                "{effective} is after the end the notice gives "
                "({end}): an agreed end can only come earlier"
            ).format(effective=effective, end=decided.ends_on),
            "--effective",
        )
    return CancelDecision(
        effective,
        f"ended early by agreement on {_day(effective)} "
        f"(by the notice alone: {_day(decided.ends_on)})",
        term,
        decided.in_time,
    )


def yearly_value(lines: list[tuple[Decimal, Decimal, Frequency | None]]) -> Decimal:
    """What recurring lines ``(quantity, unit price, price period)`` bill in a year,
    to the cent; a line priced by days or weeks counts 365 days."""
    total = Decimal(0)
    for quantity, price, period in lines:
        if period is None:
            continue
        months = period.months
        per_year = (
            Decimal(12) / Decimal(months) if months else Decimal(365) / Decimal(period.days or 365)
        )
        total += quantity * price * per_year
    return total.quantize(Decimal("0.01"))


def lifecycle_json(life: Lifecycle) -> dict[str, Any]:
    """The terms and what follows at the end, as ``--json`` carries them."""
    return {
        "term": life.term,
        "end_date": life.end.isoformat() if life.end else None,
        "notice_deadline": (
            d.isoformat() if life.renewal == "tacit" and (d := life.notice_deadline()) else None
        ),
        "at_end": life.at_end(),
    }


__all__ = [
    "INDEX_LAG_MONTHS",
    "MAX_NOTICE_DAYS",
    "RENEWALS",
    "CancelDecision",
    "Lifecycle",
    "RenewalPrice",
    "check_renewal_index",
    "decide_cancellation",
    "ended_reason",
    "first_end",
    "lifecycle_json",
    "read_lifecycle",
    "read_renewal_price",
    "read_renewals",
    "renewal_price_from_text",
    "yearly_value",
]
