"""What peewee's type stubs leave loose, typed in one place for the type checker.

The stubs type a model's select as yielding model rows even after ``.tuples()``, where
peewee yields one tuple per row. ``BaseModel.select`` is declared (for the checker only) to
return a ``TypedSelect``, whose ``.tuples()`` is a ``TupleSelect``; at run time both are
peewee's own ``ModelSelect``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from peewee import Model, ModelSelect

_M = TypeVar("_M", bound=Model)

if TYPE_CHECKING:

    class TypedSelect(ModelSelect[_M]):
        """A model's select: rows are models until ``.tuples()`` asks for tuples."""

        def tuples(self, as_tuple: bool = True) -> TupleSelect[_M]: ...  # type: ignore[override]

    class TupleSelect(ModelSelect[_M]):
        """A select read as tuples: one per row, its columns in the order selected."""

        def __iter__(self) -> Iterator[tuple[Any, ...]]: ...  # type: ignore[override]
