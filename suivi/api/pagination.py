"""Page-number pagination with stable ordering, and the page schema of each resource."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import create_model

from suivi.api.errors import ApiError

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50
# Counting every match costs a scan of them all (a second at ten million values): beyond this
# many, ``count`` is null and a page says only whether a next one exists.
COUNT_LIMIT = 10_000


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}."
    )


def page_of(item: type[Schema]) -> type[Schema]:
    return create_model(
        f"{item.__name__.removesuffix('Out')}Page",
        __base__=Schema,
        count=(
            int | None,
            Field(..., description=f"Number of results; null when there are more than {COUNT_LIMIT:,}: follow next."),
        ),
        page=(int, ...),
        page_size=(int, ...),
        next=(str | None, ...),
        previous=(str | None, ...),
        results=(list[item], ...),
    )


def paginate(request, items: QuerySet | list, params: PageParams, serialize: Callable[[Iterable], list]) -> dict:
    """One page of ``items`` (already in a stable order) with links to its neighbours.

    The count is exact up to ``COUNT_LIMIT`` results; beyond, it is null (counting would read
    every match) and the page reads one item more than it shows, to know whether a next exists.
    """
    count = items[: COUNT_LIMIT + 1].count() if isinstance(items, QuerySet) else len(items)
    start = (params.page - 1) * params.page_size
    if count <= COUNT_LIMIT:
        last = max(1, -(-count // params.page_size))
        if params.page > last:
            raise ApiError(404, f"Page {params.page} does not exist (last page: {last}).", "page")
        shown = items[start : start + params.page_size]
        more = params.page < last
    else:
        count = None
        window = list(items[start : start + params.page_size + 1])
        if not window and params.page > 1:
            raise ApiError(404, f"Page {params.page} does not exist.", "page")
        shown, more = window[: params.page_size], len(window) > params.page_size

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "next": link(params.page + 1) if more else None,
        "previous": link(params.page - 1) if params.page > 1 else None,
        "results": serialize(shown),
    }
