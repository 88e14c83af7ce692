"""Every list of the API is paged the same way: `?page=` (from 1) and `?page_size=` (at
most 100), answered as {"items": […], "count": N, "page": 1, "pages": P, "next": url,
"previous": url}. A page past the end is an empty list, never an error.
"""

from collections.abc import Callable, Iterator, Sequence
from math import ceil
from typing import Any, TypeVar, overload

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Schema
from ninja.pagination import PaginationBase
from pydantic import Field

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100

M = TypeVar("M", bound=Model)


class Paged(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Items in the whole list.")
        page: int
        pages: int
        next: str | None = Field(description="The next page's address, or null on the last.")
        previous: str | None

    def paginate_queryset(
        self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        return page_of(queryset, request, page=pagination.page, size=pagination.page_size)


def page_of(rows: Sequence[Any], request: HttpRequest, *, page: int, size: int) -> dict[str, Any]:
    """One page of `rows` in the shape of every list (a list that carries more, such as the
    finder's search, adds its own keys beside these)."""
    start = (page - 1) * size
    # A queryset counts in the database; anything else (a list, Mapped) by its length.
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    query = request.GET.copy()

    def link(number: int) -> str:
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "items": list(rows[start : start + size]),
        "count": count,
        "page": page,
        "pages": max(1, ceil(count / size)),
        "next": link(page + 1) if start + size < count else None,
        "previous": link(page - 1) if page > 1 else None,
    }


class Mapped(Sequence[Any]):
    """A queryset whose rows are turned into API objects one page at a time: the count is
    one COUNT query and only the page's rows are read."""

    def __init__(self, queryset: "QuerySet[M]", convert: Callable[[M], Any]) -> None:
        self.queryset = queryset
        self.convert = convert

    def __len__(self) -> int:
        return self.queryset.count()

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self.convert(row) for row in self.queryset[index]]
        return self.convert(self.queryset[index])

    def __iter__(self) -> Iterator[Any]:
        return (self.convert(row) for row in self.queryset.iterator())
