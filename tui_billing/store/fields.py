"""Exact column types: money and quantities stored as scaled integers, handed out as Decimal.

Peewee's DecimalField keeps REAL on SQLite (0.10 reads back as 0.1 and sums drift), so every
amount is an integer count of 10**-places units on both SQLite and PostgreSQL: sums in SQL
stay exact and one code path serves both databases.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from peewee import SQL, AutoField, BigIntegerField, NodeList, SqliteDatabase

_D = TypeVar("_D", Decimal, Decimal | None)

if TYPE_CHECKING:
    _GenericBigInteger = BigIntegerField
else:

    class _GenericBigInteger(BigIntegerField, Generic[_D]):
        """BigIntegerField, generic at run time as peewee's type stubs make it."""


class NeverReusedAutoField(AutoField):
    """An integer primary key that never hands out an id twice, not even the highest one
    after its row is deleted: AUTOINCREMENT on SQLite (a plain INTEGER PRIMARY KEY gives the
    next insert max(id) + 1), PostgreSQL's SERIAL as it is (its sequence never goes back).
    For rows whose id other records keep as a reference after the row is gone."""

    def ddl(self, ctx: Any) -> NodeList:
        node = super().ddl(ctx)
        db = self.model._meta.database
        if isinstance(getattr(db, "obj", db), SqliteDatabase):  # the proxy, or a bound database
            return NodeList((node, SQL("AUTOINCREMENT")))
        return node


class ScaledDecimalField(_GenericBigInteger[_D]):
    """A Decimal with ``places`` decimals, stored as an exact integer; typed as a field of
    Decimal (Decimal | None when nullable), what a row's attribute holds."""

    if TYPE_CHECKING:  # peewee's stubs type a field by its __new__; these give the Decimal

        @overload
        def __new__(
            cls, places: int = 2, *args: Any, null: Literal[True], **kwargs: Any
        ) -> ScaledDecimalField[Decimal | None]: ...
        @overload
        def __new__(
            cls, places: int = 2, *args: Any, null: Literal[False] = ..., **kwargs: Any
        ) -> ScaledDecimalField[Decimal]: ...
        def __new__(cls, places: int = 2, *args: Any, **kwargs: Any) -> Any: ...

    def __init__(self, places: int = 2, *args: Any, **kwargs: Any) -> None:
        self.places = places
        self._unit = Decimal(1).scaleb(-places)
        super().__init__(*args, **kwargs)

    def db_value(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money must not be a float")
        if not isinstance(value, Decimal):
            value = Decimal(str(value))
        return int(value.scaleb(self.places).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def python_value(self, value: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.places).quantize(self._unit)

    def from_scaled(self, value: int | None) -> Decimal:
        """Turn a raw scaled integer (e.g. an SQL SUM) into a Decimal; None is zero."""
        return Decimal(int(value or 0)).scaleb(-self.places).quantize(self._unit)


@overload
def MoneyField(*, null: Literal[True], **kwargs: Any) -> ScaledDecimalField[Decimal | None]: ...
@overload
def MoneyField(*, null: Literal[False] = ..., **kwargs: Any) -> ScaledDecimalField[Decimal]: ...
def MoneyField(**kwargs: Any) -> ScaledDecimalField[Any]:  # reads like a field class
    """Money in cents."""
    return ScaledDecimalField(places=2, **kwargs)


@overload
def PriceField(*, null: Literal[True], **kwargs: Any) -> ScaledDecimalField[Decimal | None]: ...
@overload
def PriceField(*, null: Literal[False] = ..., **kwargs: Any) -> ScaledDecimalField[Decimal]: ...
def PriceField(**kwargs: Any) -> ScaledDecimalField[Any]:
    """Unit prices and quantities, four decimals."""
    return ScaledDecimalField(places=4, **kwargs)


QUANTITY_PLACES = 4  # the decimals of PriceField: quantities and list prices
UNIT_PRICE_PLACES = 8  # an invoice line's unit price: FatturaPA PrezzoUnitario has up to 8


@overload
def UnitPriceField(*, null: Literal[True], **kwargs: Any) -> ScaledDecimalField[Decimal | None]: ...
@overload
def UnitPriceField(*, null: Literal[False] = ..., **kwargs: Any) -> ScaledDecimalField[Decimal]: ...
def UnitPriceField(**kwargs: Any) -> ScaledDecimalField[Any]:
    """The unit price of an invoice line, eight decimals: the price of the line's period,
    exact enough that quantity x unit price rounds to the line's amount."""
    return ScaledDecimalField(places=UNIT_PRICE_PLACES, **kwargs)


@overload
def RateField(*, null: Literal[True], **kwargs: Any) -> ScaledDecimalField[Decimal | None]: ...
@overload
def RateField(*, null: Literal[False] = ..., **kwargs: Any) -> ScaledDecimalField[Decimal]: ...
def RateField(**kwargs: Any) -> ScaledDecimalField[Any]:
    """Percent rates such as VAT 22.00."""
    return ScaledDecimalField(places=2, **kwargs)
