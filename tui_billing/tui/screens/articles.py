"""Articles: listed and searched by code or name, created and edited in a form validated as
the import validates, deleted (asked first) while no contract or order line uses them."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType

from tui_billing.billing.article_editing import (
    ArticleRecord,
    create_article,
    delete_article,
    form_values,
    list_articles,
    update_article,
)
from tui_billing.domain import display
from tui_billing.domain import vocabulary as V
from tui_billing.domain.i18n import N_, _, ngettext
from tui_billing.domain.vat_natures import VAT_NATURES
from tui_billing.domain.words import word
from tui_billing.tui.screens.common import price
from tui_billing.tui.screens.contract_form import FormScreen
from tui_billing.tui.screens.record_list import RecordListScreen, form_bindings, list_bindings
from tui_billing.tui.widgets.form_fields import FieldRow, check_input, choice_input, text_input


class ArticleFormScreen(FormScreen):
    """An article's code, name, description, category, unit, prices, VAT and kind."""

    BINDINGS: ClassVar[list[BindingType]] = form_bindings("article_form")

    def __init__(self, article: ArticleRecord | None = None) -> None:
        super().__init__()
        self.article = article

    def title_text(self) -> str:
        if self.article is None:
            return _("New article")
        return _("Article {code}: lines and documents keep their own price").format(
            code=self.article.code
        )

    def fields(self) -> ComposeResult:
        r: dict[str, Any] = form_values(self.article) if self.article else {"kind": "service"}
        yield FieldRow("code", _("Code"), text_input(r.get("code"), placeholder="MAN"))
        yield FieldRow("name", _("Name"), text_input(r.get("name")), wide=True)
        yield FieldRow(
            "description",
            _("Description"),
            text_input(r.get("description")),
            wide=True,
            tooltip=_("A longer text (optional)"),
        )
        yield FieldRow("category", _("Category"), text_input(r.get("category")))
        yield FieldRow("unit", _("Unit"), text_input(r.get("unit"), placeholder=_("hours, pcs")))
        yield FieldRow(
            "price",
            _("Price"),
            text_input(r.get("price"), placeholder="1.234,56"),
            tooltip=_("The unit price a new line starts from (up to 4 decimals)"),
        )
        yield FieldRow(
            "purchase_price",
            _("Purchase price"),
            text_input(r.get("purchase_price")),
            tooltip=_("What the article costs the company (optional)"),
        )
        yield FieldRow("vat_rate", _("VAT %"), text_input(r.get("vat_rate"), placeholder="22"))
        yield FieldRow(
            "vat_nature",
            _("VAT nature"),
            text_input(
                r.get("vat_nature"),
                placeholder=_("none (0%: N4 ...)"),
                suggestions=tuple(VAT_NATURES),
            ),
            tooltip=_("Why a 0% article carries no VAT (required at 0%, refused with VAT)"),
        )
        yield FieldRow(
            "kind",
            _("Kind"),
            choice_input(r.get("kind"), V.ARTICLE_KINDS, words="article kind"),
        )
        yield FieldRow(
            "recurring",
            _("Recurring"),
            check_input(bool(r.get("recurring"))),
            tooltip=_("Billed every period (yes) or once (no)"),
        )

    def save(self, values: dict[str, Any]) -> str:
        db = self.app.db
        if self.article is None:
            return create_article(db, values)
        update_article(db, self.article.code, values)
        return values.get("code") or self.article.code


class ArticlesScreen(RecordListScreen):
    """The articles, by code."""

    TITLE = N_("Articles")
    SEARCH_TOOLTIP = N_("Show the articles whose code or name holds this text")
    SAVED = N_("article {code} saved")
    NONE_TO_EDIT = N_("no article to edit: n adds one")
    BINDINGS: ClassVar[list[BindingType]] = list_bindings(
        "articles",
        new=N_("Add a new article"),
        edit=N_("Edit the article (or enter)"),
        delete=N_("Delete the article (asks first; refused while it is in use)"),
    )
    COLUMNS = (
        (N_("Code"), 12),
        (N_("Name"), None),
        (N_("Price"), 10),
        (N_("VAT"), 5),
        (N_("Kind"), 7),
        (N_("Lines"), 5),
    )

    def columns(self) -> list[tuple[str, int | None]]:
        """The kind as wide as its longest word in the language in use."""
        kind = max(len(word("article kind", k)) for k in V.ARTICLE_KINDS)
        return [
            (label, max(width, kind) if width and label == _("Kind") else width)
            for label, width in super().columns()
        ]

    def count_text(self, count: int) -> str:
        return ngettext("{n} article", "{n} articles", count).format(n=display.number(count))

    def fetch(self, arguments: str) -> list[ArticleRecord]:
        return list_articles(arguments)

    def key_of(self, record: ArticleRecord) -> str:
        return record.code

    def cells(self, record: ArticleRecord) -> tuple[Any, ...]:
        vat = (
            record.vat_nature
            if not record.vat_rate and record.vat_nature
            else display.rate(record.vat_rate) + "%"
        )
        return (
            record.code,
            record.name,
            Text(price(record.price), justify="right"),
            vat,
            word("article kind", record.kind),
            display.number(record.lines) if record.lines else "",
        )

    def title_of(self, record: ArticleRecord) -> str:
        return _("article {code} ({name})").format(code=record.code, name=record.name)

    def form(self, record: ArticleRecord | None) -> ArticleFormScreen:
        return ArticleFormScreen(record)

    def delete(self, record: ArticleRecord) -> None:
        delete_article(self.app.db, record.code)


__all__ = ["ArticleFormScreen", "ArticlesScreen"]
