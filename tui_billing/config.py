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
from tui_billing.domain.i18n import LANGUAGES, _
from tui_billing.domain.identifiers import check_iban
from tui_billing.domain.money import parse_decimal
from tui_billing.domain.return_charges import parse_vat_treatment
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
class ReturnsSettings:
    """Returned collections: the company's own fee per returned item (a contract may have
    its own), the VAT of the charges (a rate such as "22", or a nature N1...N7 for none),
    and after how many returns in a row a contract is held from automatic collection
    (0: never)."""

    own_fee: str = "0.00"
    bank_fee_vat: str = "N1"
    own_fee_vat: str = "22"
    hold_after: int = 2


@dataclass(frozen=True)
class RemindersSettings:
    """Reminders: the days overdue (of the oldest invoice) from which levels 1, 2 and 3
    are due; each level also waits the difference after the previous one was sent."""

    level_days: tuple[int, ...] = (15, 30, 60)


@dataclass(frozen=True)
class EInvoiceSettings:
    dir: str = ""  # the folder (hot folder) `run` exports each issued e-invoice into; "": none


@dataclass(frozen=True)
class UiSettings:
    """``[ui]``: the language of the TUI and the CLI ("it" or "en"; "": from
    ``$TUI_BILLING_LANG`` or the locale, see :func:`tui_billing.domain.i18n.choose_language`)."""

    language: str = ""


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    company: CompanySettings = field(default_factory=CompanySettings)
    billing: BillingSettings = field(default_factory=BillingSettings)
    smtp: SmtpSection = field(default_factory=SmtpSection)
    einvoice: EInvoiceSettings = field(default_factory=EInvoiceSettings)
    theme: str = "textual-dark"
    keys: dict[str, str] = field(default_factory=dict)
    returns: ReturnsSettings = field(default_factory=ReturnsSettings)
    reminders: RemindersSettings = field(default_factory=RemindersSettings)
    ui: UiSettings = field(default_factory=UiSettings)


def default_config_path() -> Path:
    return Path(user_config_dir("tui-billing", appauthor=False)) / "config.toml"


def _section(cls: type, data: Any, name: str, source: Path) -> Any:
    if not isinstance(data, dict):
        raise UserError(_("{section} must be a table").format(section=f"[{name}]"), str(source))
    known = {f.name: f for f in fields(cls)}
    values = {}
    for key, value in data.items():
        if key not in known:
            raise UserError(
                _("{setting}: unknown setting").format(setting=f"[{name}].{key}"), str(source)
            )
        default = known[key].default
        if isinstance(default, bool) and not isinstance(value, bool):
            raise UserError(
                _("{setting}: must be true or false").format(setting=f"[{name}].{key}"),
                str(source),
            )
        if (
            isinstance(default, int)
            and not isinstance(default, bool)
            and (isinstance(value, bool) or not isinstance(value, int))
        ):
            raise UserError(
                _("{setting}: must be a whole number").format(setting=f"[{name}].{key}"),
                str(source),
            )
        if isinstance(default, str) and not isinstance(value, str):
            raise UserError(
                _("{setting}: must be text").format(setting=f"[{name}].{key}"), str(source)
            )
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
        raise UserError(
            _("cannot check the file's permissions ({error})").format(error=exc.strerror),
            str(target),
        ) from None
    if mode & 0o077:
        raise UserError(
            _(
                "holds the SMTP password but others may read it (mode {mode}): run "
                "'chmod 600 {file}', or remove the password from the file and set {variable} "
                "instead; nothing done"
            ).format(mode=f"{stat.S_IMODE(mode):04o}", file=target, variable=SMTP_PASSWORD_ENV_VAR),
            str(target),
        )


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


def ui_language(path: Path | None = None) -> str:
    """``[ui] language`` of the configuration file ("" when unset), read before anything
    else so that the program speaks it from its first word; a value the program does not
    speak is refused. Any other fault of the file is left to :func:`load_config`."""
    target, _unused = config_file(path)
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return ""
    ui = data.get("ui")
    if not isinstance(ui, dict) or "language" not in ui:
        return ""
    setting = ui["language"]
    if setting == "":
        return ""
    if not isinstance(setting, str) or setting not in LANGUAGES:
        raise UserError(
            _("{setting}: must be one of {choices}, not {value}").format(
                setting="[ui].language", choices=", ".join(LANGUAGES), value=repr(setting)
            ),
            str(target),
        )
    return setting


def check_returns(settings: ReturnsSettings, where: str) -> None:
    """Refuse a [returns] section whose fee is not an amount or whose VAT is unknown."""
    try:
        fee = parse_decimal(settings.own_fee, "[returns].own_fee", places=2)
    except UserError as exc:
        raise UserError(f"[returns].own_fee: {exc.message}", where) from None
    if fee < 0:
        raise UserError(
            _("{setting}: must not be negative").format(setting="[returns].own_fee"), where
        )
    for name in ("bank_fee_vat", "own_fee_vat"):
        try:
            parse_vat_treatment(getattr(settings, name))
        except UserError as exc:
            raise UserError(f"[returns].{name}: {exc.message}", where) from None
    if settings.hold_after < 0:
        raise UserError(
            _("{setting}: must be 0 (never) or more").format(setting="[returns].hold_after"),
            where,
        )


def _reminders(data: Any, source: Path) -> RemindersSettings:
    if not isinstance(data, dict):
        raise UserError(_("{section} must be a table").format(section="[reminders]"), str(source))
    for key in data:
        if key != "level_days":
            raise UserError(
                _("{setting}: unknown setting").format(setting=f"[reminders].{key}"),
                str(source),
            )
    days = data.get("level_days", list(RemindersSettings.level_days))
    if (
        not isinstance(days, list)
        or len(days) != 3
        or not all(isinstance(d, int) and not isinstance(d, bool) for d in days)
        or not 0 <= days[0] < days[1] < days[2]
    ):
        raise UserError(
            _("{setting}: three whole numbers of days, growing, such as [15, 30, 60]").format(
                setting="[reminders].level_days"
            ),
            str(source),
        )
    return RemindersSettings(tuple(days))


def _einvoice_section(data: Any, target: Path) -> EInvoiceSettings:
    """[einvoice]: ``dir`` with ``~`` expanded (whether it exists is seen when writing)."""
    section = _section(EInvoiceSettings, data, "einvoice", target)
    if not section.dir.strip():
        return EInvoiceSettings()
    return EInvoiceSettings(dir=os.path.expanduser(section.dir))


def load_config(path: Path | None = None) -> Config:
    """Read the configuration; a missing default file means all defaults."""
    target, explicit = config_file(path)
    if not target.exists():
        if explicit:
            raise UserError(_("no such configuration file"), str(target))
        return Config()
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(_("not valid TOML: {error}").format(error=exc), str(target)) from None
    except OSError as exc:
        raise UserError(_("cannot read: {error}").format(error=exc.strerror), str(target)) from None
    refuse_readable_secrets(target, data)
    unknown = set(data) - {
        "company",
        "billing",
        "smtp",
        "tui",
        "keys",
        "returns",
        "reminders",
        "einvoice",
        "ui",
    }
    if unknown:
        raise UserError(
            _("unknown section {section}").format(section=f"[{sorted(unknown)[0]}]"), str(target)
        )
    billing = _section(BillingSettings, data.get("billing", {}), "billing", target)
    if billing.status not in ("draft", "issued"):
        raise UserError(
            _("{setting}: must be draft or issued").format(setting="[billing].status"),
            str(target),
        )
    if billing.post_process not in ("draft", "issued", "open_item", "posted"):
        raise UserError(
            _("{setting}: must be draft, issued, open_item or posted").format(
                setting="[billing].post_process"
            ),
            str(target),
        )
    if billing.max_periods_per_contract < 1:
        raise UserError(
            _("{setting}: must be 1 or more").format(setting="[billing].max_periods_per_contract"),
            str(target),
        )
    tui = data.get("tui", {})
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise UserError(
            _('{section}: each binding id maps to a key text such as "ctrl+b"').format(
                section="[keys]"
            ),
            str(target),
        )
    company = _section(CompanySettings, data.get("company", {}), "company", target)
    if company.iban.strip():
        check_iban(company.iban, f"{target}: [company].iban")
    returns = _section(ReturnsSettings, data.get("returns", {}), "returns", target)
    check_returns(returns, str(target))
    reminders = _reminders(data.get("reminders", {}), target)
    ui = _section(UiSettings, data.get("ui", {}), "ui", target)
    if ui.language and ui.language not in LANGUAGES:
        raise UserError(
            _("{setting}: must be one of {choices}, not {value}").format(
                setting="[ui].language", choices=", ".join(LANGUAGES), value=repr(ui.language)
            ),
            str(target),
        )
    return Config(
        ui=ui,
        path=target,
        returns=returns,
        reminders=reminders,
        company=company,
        billing=billing,
        smtp=_section(SmtpSection, data.get("smtp", {}), "smtp", target),
        einvoice=_einvoice_section(data.get("einvoice", {}), target),
        theme=str(tui.get("theme", "textual-dark")) if isinstance(tui, dict) else "textual-dark",
        keys=dict(keys),
    )
