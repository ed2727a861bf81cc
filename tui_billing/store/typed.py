"""What peewee's type stubs leave loose, typed in one place for the type checker.

The stubs type a model's select as yielding model rows even after ``.tuples()``, where
peewee yields one tuple per row, and leave ``first()`` and a write's ``execute()`` untyped.
``BaseModel.select``, ``update`` and ``delete`` are declared (for the checker only) to
return the classes below; at run time they are peewee's own queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from peewee import Model, ModelDelete, ModelSelect, ModelUpdate

_M = TypeVar("_M", bound=Model)

if TYPE_CHECKING:

    class TypedSelect(ModelSelect[_M]):
        """A model's select: rows are models until ``.tuples()`` asks for tuples."""

        # override: the stubs say tuples() returns the same select (Self)
        def tuples(self, as_tuple: bool = True) -> TupleSelect[_M]: ...  # type: ignore[override]
        def first(self, database: Any = None, n: int = 1) -> _M | None: ...  # n=1: a row or None

    class TupleSelect(ModelSelect[_M]):
        """A select read as tuples: one per row, its columns in the order selected."""

        # override: what this typing is for, rows that are tuples, not models
        def __iter__(self) -> Iterator[tuple[Any, ...]]: ...  # type: ignore[override]
        def first(self, database: Any = None, n: int = 1) -> tuple[Any, ...] | None: ...

    class TypedUpdate(ModelUpdate):
        """An UPDATE: ``execute()`` returns how many rows it changed."""

        def execute(self, database: Any = None) -> int: ...

    class TypedDelete(ModelDelete):
        """A DELETE: ``execute()`` returns how many rows it removed."""

        def execute(self, database: Any = None) -> int: ...
