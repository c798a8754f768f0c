"""Page-number pagination with stable ordering, and the page schema of each resource."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import create_model

from suivi.api.errors import ApiError

MAX_PAGE_SIZE = 500


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}.")


def page_of(item: type[Schema]) -> type[Schema]:
    return create_model(
        f"{item.__name__.removesuffix('Out')}Page",
        __base__=Schema,
        count=(int, ...),
        page=(int, ...),
        page_size=(int, ...),
        next=(str | None, ...),
        previous=(str | None, ...),
        results=(list[item], ...),
    )


def paginate(request, items: QuerySet | list, params: PageParams, serialize: Callable[[Iterable], list]) -> dict:
    """One page of ``items`` (already in a stable order) with links to its neighbours."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    last = max(1, -(-count // params.page_size))
    if params.page > last:
        raise ApiError(404, f"Page {params.page} does not exist (last page: {last}).", "page")
    start = (params.page - 1) * params.page_size

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "next": link(params.page + 1) if params.page < last else None,
        "previous": link(params.page - 1) if params.page > 1 else None,
        "results": serialize(items[start : start + params.page_size]),
    }
