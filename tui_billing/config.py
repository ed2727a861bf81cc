"""The configuration file: one TOML file in the user config dir (overridable by --config and
$TUI_BILLING_CONFIG). Everything has a default, so the program works without one."""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir

from tui_billing.domain.errors import UserError
from tui_billing.domain.identifiers import check_iban
from tui_billing.domain.run_bounds import DEFAULT_MAX_PERIODS

ENV_VAR = "TUI_BILLING_CONFIG"
SMTP_PASSWORD_ENV_VAR = "TUI_BILLING_SMTP_PASSWORD"


@dataclass(frozen=True)
class CompanySettings:
    name: str = "Your Company S.r.l."
    address: str = ""
    vat_number: str = ""
    tax_code: str = ""
    iban: str = ""
    email: str = ""
    phone: str = ""
    logo: str | None = None


@dataclass(frozen=True)
class BillingSettings:
    status: str = "issued"  # what `run` leaves: draft or issued (and up to post_process)
    post_process: str = "issued"  # C5: draft, issued, open_item, posted
    series: str | None = None  # None: each contract's own series
    language: str = "it"
    email: bool = True  # send courtesy copies during `run`
    workers: int = 0  # processes rendering courtesy copies in a run; 0 = one per core
    max_periods_per_contract: int = DEFAULT_MAX_PERIODS  # more to catch up: contract skipped


@dataclass(frozen=True)
class SmtpSection:
    """The ``[smtp]`` table of the configuration file as written (no host: no courtesy
    copies); ``mail.SmtpSettings``, checked, is what sending uses."""

    host: str | None = None
    port: int = 587
    security: str = "starttls"
    user: str | None = None
    password: str | None = None
    sender: str = ""
    reply_to: str | None = None
    timeout: float = 30.0


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    company: CompanySettings = field(default_factory=CompanySettings)
    billing: BillingSettings = field(default_factory=BillingSettings)
    smtp: SmtpSection = field(default_factory=SmtpSection)
    theme: str = "textual-dark"
    keys: dict[str, str] = field(default_factory=dict)


def default_config_path() -> Path:
    return Path(user_config_dir("tui-billing", appauthor=False)) / "config.toml"


def _section(cls: type, data: Any, name: str, source: Path) -> Any:
    if not isinstance(data, dict):
        raise UserError(f"[{name}] must be a table", str(source))
    known = {f.name: f for f in fields(cls)}
    values = {}
    for key, value in data.items():
        if key not in known:
            raise UserError(f"[{name}].{key}: unknown setting", str(source))
        default = known[key].default
        if isinstance(default, bool) and not isinstance(value, bool):
            raise UserError(f"[{name}].{key}: must be true or false", str(source))
        if (
            isinstance(default, int)
            and not isinstance(default, bool)
            and (isinstance(value, bool) or not isinstance(value, int))
        ):
            raise UserError(f"[{name}].{key}: must be a whole number", str(source))
        if isinstance(default, str) and not isinstance(value, str):
            raise UserError(f"[{name}].{key}: must be text", str(source))
        values[key] = value
    return cls(**values)


def config_file(path: Path | None = None) -> tuple[Path, bool]:
    """The configuration file to read and whether it was named (option or environment)."""
    explicit = path or (Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else None)
    return explicit or default_config_path(), explicit is not None


def refuse_readable_secrets(target: Path, data: Any) -> None:
    """A file holding the SMTP password must be readable by its owner alone: refuse it,
    before anything is done, when group or others may read or write it."""
    smtp = data.get("smtp") if isinstance(data, dict) else None
    if not isinstance(smtp, dict) or not smtp.get("password") or os.name == "nt":
        return
    try:
        mode = target.stat().st_mode
    except OSError as exc:
        raise UserError(f"cannot check the file's permissions ({exc.strerror})",
                        str(target)) from None
    if mode & 0o077:
        raise UserError(
            f"holds the SMTP password but others may read it (mode {stat.S_IMODE(mode):04o}): "
            f"run 'chmod 600 {target}', or remove the password from the file and set "
            f"{SMTP_PASSWORD_ENV_VAR} instead; nothing done", str(target))


def check_config_secrets(path: Path | None = None) -> None:
    """Refuse a configuration file that holds the SMTP password and is readable by others
    (see :func:`refuse_readable_secrets`); any other fault of the file is left to
    :func:`load_config`. Commands call this before they open (or create) the database."""
    target, _ = config_file(path)
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return
    refuse_readable_secrets(target, data)


def load_config(path: Path | None = None) -> Config:
    """Read the configuration; a missing default file means all defaults."""
    target, explicit = config_file(path)
    if not target.exists():
        if explicit:
            raise UserError("no such configuration file", str(target))
        return Config()
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"not valid TOML: {exc}", str(target)) from None
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror}", str(target)) from None
    refuse_readable_secrets(target, data)
    unknown = set(data) - {"company", "billing", "smtp", "tui", "keys"}
    if unknown:
        raise UserError(f"unknown section [{sorted(unknown)[0]}]", str(target))
    billing = _section(BillingSettings, data.get("billing", {}), "billing", target)
    if billing.status not in ("draft", "issued"):
        raise UserError("[billing].status: must be draft or issued", str(target))
    if billing.post_process not in ("draft", "issued", "open_item", "posted"):
        raise UserError(
            "[billing].post_process: must be draft, issued, open_item or posted", str(target)
        )
    if billing.max_periods_per_contract < 1:
        raise UserError("[billing].max_periods_per_contract: must be 1 or more", str(target))
    tui = data.get("tui", {})
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise UserError('[keys]: each binding id maps to a key text such as "ctrl+b"', str(target))
    company = _section(CompanySettings, data.get("company", {}), "company", target)
    if company.iban.strip():
        check_iban(company.iban, f"{target}: [company].iban")
    return Config(
        path=target,
        company=company,
        billing=billing,
        smtp=_section(SmtpSection, data.get("smtp", {}), "smtp", target),
        theme=str(tui.get("theme", "textual-dark")) if isinstance(tui, dict) else "textual-dark",
        keys=dict(keys),
    )
