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
from tui_billing.domain import vocabulary as V
from tui_billing.domain.vat_natures import VAT_NATURES
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
            return "New article"
        return f"Article {self.article.code}: lines and documents keep their own price"

    def fields(self) -> ComposeResult:
        r: dict[str, Any] = form_values(self.article) if self.article else {"kind": "service"}
        yield FieldRow("code", "Code", text_input(r.get("code"), placeholder="MAN"))
        yield FieldRow("name", "Name", text_input(r.get("name")), wide=True)
        yield FieldRow(
            "description",
            "Description",
            text_input(r.get("description")),
            wide=True,
            tooltip="A longer text (optional)",
        )
        yield FieldRow("category", "Category", text_input(r.get("category")))
        yield FieldRow("unit", "Unit", text_input(r.get("unit"), placeholder="hours, pcs"))
        yield FieldRow(
            "price",
            "Price",
            text_input(r.get("price"), placeholder="1.234,56"),
            tooltip="The unit price a new line starts from (up to 4 decimals)",
        )
        yield FieldRow(
            "purchase_price",
            "Purchase price",
            text_input(r.get("purchase_price")),
            tooltip="What the article costs the company (optional)",
        )
        yield FieldRow("vat_rate", "VAT %", text_input(r.get("vat_rate"), placeholder="22"))
        yield FieldRow(
            "vat_nature",
            "VAT nature",
            text_input(
                r.get("vat_nature"),
                placeholder="none (0%: N4 ...)",
                suggestions=tuple(VAT_NATURES),
            ),
            tooltip="Why a 0% article carries no VAT (required at 0%, refused with VAT)",
        )
        yield FieldRow("kind", "Kind", choice_input(r.get("kind"), V.ARTICLE_KINDS))
        yield FieldRow(
            "recurring",
            "Recurring",
            check_input(bool(r.get("recurring"))),
            tooltip="Billed every period (yes) or once (no)",
        )

    def save(self, values: dict[str, Any]) -> str:
        db = self.app.db
        if self.article is None:
            return create_article(db, values)
        update_article(db, self.article.code, values)
        return values.get("code") or self.article.code


class ArticlesScreen(RecordListScreen):
    """The articles, by code."""

    TITLE = "Articles"
    NOUN, PLURAL = "article", "articles"
    BINDINGS: ClassVar[list[BindingType]] = list_bindings("articles", "article")
    COLUMNS = (
        ("Code", 10),
        ("Name", None),
        ("Price", 10),
        ("VAT", 5),
        ("Kind", 7),
        ("Lines", 5),
    )

    def fetch(self, arguments: str) -> list[ArticleRecord]:
        return list_articles(arguments)

    def key_of(self, record: ArticleRecord) -> str:
        return record.code

    def cells(self, record: ArticleRecord) -> tuple[Any, ...]:
        vat = (
            record.vat_nature
            if not record.vat_rate and record.vat_nature
            else (f"{record.vat_rate.normalize():f}%")
        )
        return (
            record.code,
            record.name,
            Text(price(record.price), justify="right"),
            vat,
            record.kind,
            str(record.lines) if record.lines else "",
        )

    def title_of(self, record: ArticleRecord) -> str:
        return f"article {record.code} ({record.name})"

    def form(self, record: ArticleRecord | None) -> ArticleFormScreen:
        return ArticleFormScreen(record)

    def delete(self, record: ArticleRecord) -> None:
        delete_article(self.app.db, record.code)


__all__ = ["ArticleFormScreen", "ArticlesScreen"]
