"""Articles as the operator edits them: listed and searched by code or name, created,
changed and deleted, each value validated as the import validates it.

An article only proposes a line's description, price and VAT rate: contract and order
lines keep their own, and invoices their own snapshot, so changing an article changes no
line and no document. An article that a contract or order line refers to cannot be deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import Database, fn

from tui_billing.billing.record_input import read_record
from tui_billing.billing.wording import _, ngettext
from tui_billing.domain.errors import UserError
from tui_billing.domain.money import format_price
from tui_billing.output.interchange_read import read_article
from tui_billing.store.models import Article, ContractLine, OrderLine
from tui_billing.store.transactions import write_transaction

PATH = "article"
NUMERIC = frozenset({"price", "purchase_price", "vat_rate"})
LIMIT = 1000  # articles listed; search to find the others


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """An article as stored, and how many contract and order lines refer to it."""

    code: str
    name: str
    description: str | None
    category: str | None
    unit: str | None
    price: Decimal
    purchase_price: Decimal | None
    vat_rate: Decimal
    vat_nature: str | None
    kind: str
    recurring: bool
    lines: int = 0

    @property
    def in_use(self) -> bool:
        return self.lines > 0


def _plain(value: Decimal | None, places: int = 2) -> str:
    """``12.50``, ``0.125``: at least ``places`` decimals, more when the value has them."""
    return "" if value is None else format_price(value, places)


def form_values(article: ArticleRecord) -> dict[str, Any]:
    """The article as its form shows it (numbers as plain text)."""
    return {
        "code": article.code,
        "name": article.name,
        "description": article.description or "",
        "category": article.category or "",
        "unit": article.unit or "",
        "price": _plain(article.price),
        "purchase_price": _plain(article.purchase_price),
        "vat_rate": _plain(article.vat_rate, 0),
        "vat_nature": article.vat_nature,
        "kind": article.kind,
        "recurring": article.recurring,
    }


def _matching(search: str) -> Any:
    text = search.strip()
    if not text:
        return True
    return Article.code.contains(text) | Article.name.contains(text)


def _line_counts(article_ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for model in (ContractLine, OrderLine):
        query = (
            model.select(model.article, fn.COUNT(model.id))
            .where(model.article.in_(article_ids))
            .group_by(model.article)
            .tuples()
        )
        for article_id, count in query:
            counts[article_id] = counts.get(article_id, 0) + count
    return counts


def list_articles(search: str = "", limit: int = LIMIT) -> list[ArticleRecord]:
    """The articles whose code or name holds ``search`` (any case), by code."""
    rows = list(Article.select().where(_matching(search)).order_by(Article.code).limit(limit))
    counts = _line_counts([r.id for r in rows]) if rows else {}
    return [_record(row, counts.get(row.id, 0)) for row in rows]


def _record(row: Article, lines: int) -> ArticleRecord:
    return ArticleRecord(
        row.code,
        row.name,
        row.description,
        row.category,
        row.unit,
        row.price,
        row.purchase_price,
        row.vat_rate,
        row.vat_nature,
        row.kind,
        row.recurring,
        lines,
    )


def get_article(code: str) -> ArticleRecord:
    row = _row(code)
    return _record(row, _line_counts([row.id]).get(row.id, 0))


def _row(code: str) -> Article:
    row = Article.get_or_none(Article.code == code)
    if row is None:
        raise UserError(_("no article {code!r}").format(code=code), f"{PATH}.code")
    return row


def _validated(values: Mapping[str, Any]) -> dict[str, Any]:
    return read_record(values, PATH, read_article, NUMERIC)


def create_article(db: Database, values: Mapping[str, Any]) -> str:
    """Add an article from the values as typed; returns its code."""
    record = _validated(values)
    with write_transaction(db):
        if Article.select().where(Article.code == record["code"]).exists():
            raise UserError(
                _("article {code!r} exists already").format(code=record["code"]), f"{PATH}.code"
            )
        Article.create(**record)
    return str(record["code"])


def update_article(db: Database, code: str, values: Mapping[str, Any]) -> bool:
    """Change article ``code`` (its code too) to the values as typed; returns whether
    anything changed. Lines and documents keep the description and price they have."""
    record = _validated(values)
    with write_transaction(db):
        row = _row(code)
        if (
            record["code"] != code
            and Article.select().where(Article.code == record["code"]).exists()
        ):
            raise UserError(
                _("article {code!r} exists already").format(code=record["code"]), f"{PATH}.code"
            )
        changed = {k: v for k, v in record.items() if getattr(row, k) != v}
        if changed:
            Article.update(**changed).where(Article.id == row.id).execute()
    return bool(changed)


def delete_article(db: Database, code: str) -> None:
    """Delete article ``code``; refused while a contract or order line refers to it."""
    with write_transaction(db):
        row = _row(code)
        lines = _line_counts([row.id]).get(row.id, 0)
        if lines:
            raise UserError(
                ngettext(
                    "article {code!r} is used by {lines} contract or order line: it "
                    "cannot be deleted (edit it instead)",
                    "article {code!r} is used by {lines} contract or order lines: it "
                    "cannot be deleted (edit it instead)",
                    lines,
                ).format(code=code, lines=lines),
                f"{PATH}.code",
            )
        row.delete_instance()


__all__ = [
    "ArticleRecord",
    "create_article",
    "delete_article",
    "form_values",
    "get_article",
    "list_articles",
    "update_article",
]
