"""Search the index with each engine's full-text features, rank the same way on both.

The full-text index picks the candidates (every word of the query, as a prefix);
the ranking is plain SQL on those candidates, so SQLite and PostgreSQL return the
same results in the same order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from suivi.search.models import KIND_ORDER, SearchEntry
from suivi.territories.folding import fold

_WORD = re.compile(r"\w+")
MAX_WORDS = 8


def query_words(query: str) -> list[str]:
    return _WORD.findall(fold(query))[:MAX_WORDS]


def _full_text_ids(words: list[str]) -> RawSQL:
    if connection.vendor == "postgresql":
        table = SearchEntry._meta.db_table
        tsquery = " & ".join(f"{w}:*" for w in words)
        return RawSQL(
            f"SELECT id FROM {table} WHERE to_tsvector('simple', folded) @@ to_tsquery('simple', %s)", [tsquery]
        )
    match = " ".join(f'"{w}"*' for w in words)
    return RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [match])


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    axis: str = ""
    decision: int | None = None
    status: str = ""
    territory: str = ""
    programme_id: int | None = None

    @property
    def narrowing(self) -> bool:
        """Whether a person chose a filter (which lists entries even without a search word)."""
        return bool(self.kind or self.axis or self.decision is not None or self.status or self.territory)


NO_FILTERS = Filters()


def search(query: str, filters: Filters = NO_FILTERS) -> QuerySet[SearchEntry]:
    """Entries matching every word of ``query`` (accents and case folded), best first.

    Without a word, the entries the filters select, by kind then title (none without filters).
    """
    words = query_words(query)
    if not words and not filters.narrowing:
        return SearchEntry.objects.none()
    entries = SearchEntry.objects.filter(id__in=_full_text_ids(words)) if words else SearchEntry.objects.all()
    if filters.programme_id:
        entries = entries.filter(Q(programme_id=filters.programme_id) | Q(programme=None))
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.axis:
        entries = entries.filter(axis=filters.axis)
    if filters.decision is not None:
        entries = entries.filter(decisions__contains=f"|{filters.decision}|")
    if filters.status:
        entries = entries.filter(status=filters.status)
    if filters.territory:
        entries = entries.filter(places__contains=f"|{filters.territory}|")
    if not words:
        kind_rank = Case(
            *[When(kind=kind, then=Value(i)) for i, kind in enumerate(KIND_ORDER)], output_field=IntegerField()
        )
        return entries.annotate(kind_rank=kind_rank).order_by("kind_rank", "title_folded", "key")
    phrase = " ".join(words)
    in_title = Q()
    for word in words:
        in_title &= Q(title_folded__contains=word)
    return entries.annotate(
        match_rank=Case(
            When(title_folded=phrase, then=Value(0)),
            When(title_folded__startswith=phrase, then=Value(1)),
            When(in_title, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
        kind_rank=Case(
            *[When(kind=kind, then=Value(i)) for i, kind in enumerate(KIND_ORDER)], output_field=IntegerField()
        ),
    ).order_by("match_rank", "kind_rank", "-boost", "title", "key")


def highlight(text: str, words: list[str], limit: int | None = None) -> SafeString:
    """``text`` escaped, with the words that start like a query word in ``<mark>``.

    With ``limit``, an excerpt of about that many characters around the first match.
    """
    if limit is not None and len(text) > limit:
        first = next((m.start() for m in _WORD.finditer(text) if any(fold(m.group()).startswith(w) for w in words)), 0)
        start = max(0, first - limit // 3)
        if start:
            start = text.find(" ", start) + 1 or start  # begin on a whole word
        end = start + limit
        if end < len(text):
            end = text.rfind(" ", start, end) if " " in text[start:end] else end
        text = ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
    parts, last = [], 0
    for match in _WORD.finditer(text):
        if any(fold(match.group()).startswith(w) for w in words):
            parts.append(escape(text[last : match.start()]))
            parts.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))
