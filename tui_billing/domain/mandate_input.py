"""SEPA mandates read from user data (interchange file, CSV, forms), each error naming the
record and field: the reference (EPC AT-01), the customer and optionally one of its
contracts, the signature date (not in the future), the scheme, the debtor's IBAN and BIC,
the status (active, or suspended with its reason), and the reference it replaces when a
mandate's reference was amended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.identifiers import check_iban
from tui_billing.domain.parsing import Reader
from tui_billing.domain.sepa import SCHEMES, check_bic, check_sepa_identifier

MANDATE_STATUSES = ("active", "suspended")


def read_mandate(r: Reader, customers: set[str], today: dt.date) -> dict[str, Any]:
    """One mandate record as stored (customer and contract still as codes)."""
    reference = check_sepa_identifier(r.text("reference"), r.at("reference"))
    customer = r.text("customer")
    if customer not in customers:
        raise UserError(_("unknown customer {code}").format(code=repr(customer)), r.at("customer"))
    signed_on = r.date("signed_on")
    if signed_on > today:
        raise UserError(
            _(
                "{day} is in the future (today is {today}): a mandate is signed before it is used"
            ).format(day=signed_on.isoformat(), today=today.isoformat()),
            r.at("signed_on"),
        )
    bic = r.optional_text("bic")
    replaces = r.optional_text("replaces")
    if replaces is not None:
        check_sepa_identifier(replaces, r.at("replaces"))
        if replaces == reference:
            raise UserError(_("a mandate does not replace itself"), r.at("replaces"))
    status = r.choice("status", MANDATE_STATUSES, "active")
    reason = r.optional_text("suspended_reason")
    if status == "suspended" and reason is None:
        raise UserError(_("a suspended mandate says why"), r.at("suspended_reason"))
    if status == "active" and reason is not None:
        raise UserError(_("only a suspended mandate has a reason"), r.at("suspended_reason"))
    return {
        "reference": reference,
        "customer": customer,
        "contract": r.optional_text("contract"),
        "signed_on": signed_on,
        "scheme": r.choice("scheme", SCHEMES, "CORE"),
        "iban": check_iban(r.text("iban"), r.at("iban")),
        "bic": check_bic(bic, r.at("bic")) if bic else None,
        "status": status,
        "suspended_reason": reason,
        "replaces": replaces,
    }


def check_mandates(records: Iterable[dict[str, Any]], section: str = "mandates") -> None:
    """A reference names one mandate, and a customer (or one of its contracts) has at most
    one active mandate: which one to collect under is never a guess."""
    seen: dict[str, int] = {}
    owners: dict[tuple[str, str | None], int] = {}
    for index, record in enumerate(records):
        if record["reference"] in seen:
            raise UserError(
                _("the reference {reference} is used by another mandate (also at {other})").format(
                    reference=repr(record["reference"]),
                    other=f"{section}[{seen[record['reference']]}]",
                ),
                f"{section}[{index}].reference",
            )
        seen[record["reference"]] = index
        if record["status"] != "active":
            continue
        owner = (record["customer"], record["contract"])
        if owner in owners:
            template = (
                _("contract {code} already has an active mandate (at {other}); suspend one of them")
                if owner[1]
                else _(
                    "customer {code} already has an active mandate (at {other}); "
                    "suspend one of them"
                )
            )
            raise UserError(
                template.format(
                    code=repr(owner[1] or owner[0]), other=f"{section}[{owners[owner]}]"
                ),
                f"{section}[{index}].status",
            )
        owners[owner] = index
