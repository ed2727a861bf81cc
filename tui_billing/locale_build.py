"""Build the translation catalogues with Babel (a tool for developers: Babel is in the test
extra, not needed to run the program).

``python -m tui_billing.locale_build``:

- extracts every message marked with ``_``, ``N_``, ``ngettext`` and ``pgettext`` from the
  package's sources;
- keeps the Italian translations of ``tui_billing/locale/it/LC_MESSAGES/tui_billing.po``,
  adds those found in ``tui_billing/locale/parts/*.po`` (catalogues written beside the main
  one while a change is under way), drops messages no longer in the code;
- writes the ``.po`` (sorted, no source lines, so that changes read well in a diff) and
  compiles the ``.mo`` the program reads;
- lists the messages still without an Italian translation (exit status 1 if any).

``python -m tui_billing.locale_build missing FILE...``: the messages of those source files
that have no Italian translation yet, in ``.po`` form ready to fill in.
"""

from __future__ import annotations

import datetime
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from tui_billing.domain.i18n import DOMAIN, LOCALE_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
TRANSLATED = ("it",)
KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
PARTS_DIR = LOCALE_DIR / "parts"
SKIPPED = ("locale_build.py",)
PLURAL_FORMS = 2  # the gettext tradition for Italian: n != 1 (see new_catalog)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def source_files() -> Iterator[Path]:
    """The package's Python sources that may hold messages."""
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if path.name not in SKIPPED and ".venv" not in path.parts:
            yield path


def extract(paths: Iterable[Path] | None = None) -> Catalog:
    """Every message marked in ``paths`` (all the sources when None), as a template."""
    template = Catalog(domain=DOMAIN, project="tui-billing")
    for path in paths if paths is not None else source_files():
        for lineno, message, comments, context in extract_from_file(
            "python", str(path), keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            where = (str(path.relative_to(PACKAGE_DIR.parent)), lineno)
            template.add(message, locations=[where], auto_comments=comments, context=context)
    return template


def read(path: Path, language: str = "it") -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def known_translations(language: str = "it") -> dict[tuple[Any, str | None], Any]:
    """What the main catalogue and the parts translate: (id, context) -> string(s)."""
    known: dict[tuple[Any, str | None], Any] = {}
    sources = [po_path(language)] if po_path(language).exists() else []
    sources += sorted(PARTS_DIR.glob("*.po")) if language == "it" else []
    for source in sources:
        for message in read(source, language):
            if message.id and _translated(message):
                string = message.string
                if isinstance(string, (tuple, list)):  # Babel reads CLDR's 3 Italian forms
                    string = tuple(string[:PLURAL_FORMS])
                known[(message.id, message.context)] = string
    return known


def _translated(message: Message) -> bool:
    if isinstance(message.string, (tuple, list)):
        return all(bool(s) for s in message.string[:PLURAL_FORMS])
    return bool(message.string)


def new_catalog(language: str) -> Catalog:
    """An empty catalogue with a header that does not change from build to build, and the
    two plural forms of the gettext tradition for Italian (``n != 1``)."""
    stamp = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    catalog = Catalog(
        locale=language,
        domain=DOMAIN,
        project="tui-billing",
        version="",
        copyright_holder="the tui-billing authors",
        msgid_bugs_address="",
        creation_date=stamp,
        revision_date=stamp,
        last_translator="the tui-billing authors",
        language_team="Italian",
        fuzzy=False,
    )
    catalog._num_plurals = 2  # type: ignore[assignment]  # Babel: CLDR has 3 forms
    catalog._plural_expr = "(n != 1)"  # type: ignore[assignment]
    return catalog


def build(language: str = "it") -> list[Message]:
    """Write the catalogue of ``language`` and compile it; returns the messages it lacks."""
    template = extract()
    known = known_translations(language)
    catalog = new_catalog(language)
    missing = []
    for message in template:
        if not message.id:
            continue
        string = known.get((message.id, message.context))
        catalog.add(
            message.id,
            string if string is not None else ("", "") if message.pluralizable else "",
            auto_comments=message.auto_comments,
            context=message.context,
        )
        if string is None:
            missing.append(message)
    target = po_path(language)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as file:
        write_po(file, catalog, sort_output=True, omit_header=False, no_location=True, width=100)
    with mo_path(language).open("wb") as file:
        write_mo(file, catalog)
    return missing


def as_po(messages: Iterable[Message]) -> str:
    """Messages in ``.po`` form, translations empty."""
    catalog = new_catalog("it")
    for message in messages:
        catalog.add(message.id, ("", "") if message.pluralizable else "", context=message.context)
    buffer = io.BytesIO()
    write_po(buffer, catalog, omit_header=True, no_location=True, width=100)
    return buffer.getvalue().decode("utf-8")


def main(argv: list[str]) -> int:
    if argv[:1] == ["missing"]:
        known = known_translations()
        template = extract(Path(p).resolve() for p in argv[1:])
        lacking = [m for m in template if m.id and (m.id, m.context) not in known]
        sys.stdout.write(as_po(lacking))
        return 1 if lacking else 0
    status = 0
    for language in TRANSLATED:
        missing = build(language)
        for message in missing:
            print(f"{language}: no translation: {message.id!r}", file=sys.stderr)
        status = status or (1 if missing else 0)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
