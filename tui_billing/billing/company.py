"""The company (the seller) adopted once from an older configuration file's ``[company]``
section into the database, where every operator and the cron host share it."""

from __future__ import annotations

from typing import Any

from peewee import Database

from tui_billing.billing.wording import _
from tui_billing.config import CompanySettings
from tui_billing.domain.errors import UserError
from tui_billing.domain.parsing import Reader
from tui_billing.domain.parties import (
    read_company,
    split_legacy_address,
)
from tui_billing.store.company_row import save_company
from tui_billing.store.models import Company


def _config_record(settings: CompanySettings) -> dict[str, Any] | None:
    """The interchange ``company`` object an older configuration's ``[company]`` stands
    for; None when it holds nothing but the defaults."""
    defaults = CompanySettings()
    if all(
        getattr(settings, key) == getattr(defaults, key)
        for key in ("name", "address", "vat_number", "tax_code", "iban", "email", "phone")
    ):
        return None
    record: dict[str, Any] = {
        key: getattr(settings, key) or None
        for key in ("name", "vat_number", "tax_code", "iban", "email", "phone")
    }
    if record["name"] == defaults.name:
        record["name"] = None
    record.update({k: v for k, v in split_legacy_address(settings.address).items() if v})
    return record


def adopt_config_company(db: Database, settings: CompanySettings, source: str) -> str | None:
    """Copy the configuration's company into a database that has none (the seller used to
    live in each machine's configuration file). Returns the message to show once, or None
    when there was nothing to do."""
    if Company.select().exists():
        return None
    record = _config_record(settings)
    if record is None:
        return None
    try:
        values = read_company(Reader(record, "company"))
    except UserError as exc:
        return _(
            "{source}: [company] not copied into the database: {error}; enter the company "
            "with `tui-billing import` or in the TUI's Company screen"
        ).format(source=source, error=exc)
    save_company(db, values)
    return _(
        "{source}: the [company] section was copied into the database, which now holds "
        "the seller for every operator: edit it there (the file's section now serves for "
        "the logo only)"
    ).format(source=source)


__all__ = ["adopt_config_company"]
