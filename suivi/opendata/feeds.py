"""Atom feeds of published changes: a programme, a measure, a territory."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from suivi.catalogue.models import Measure, Programme
from suivi.opendata.changes import Change, changes
from suivi.territories.models import Territory


class ChangesFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item: Change) -> str:
        return item.title

    def item_description(self, item: Change) -> str:
        return item.description

    def item_link(self, item: Change) -> str:
        return item.url

    def item_guid(self, item: Change) -> str:
        return item.id

    def item_pubdate(self, item: Change):
        return item.when

    def item_updateddate(self, item: Change):
        return item.when


class ProgrammeFeed(ChangesFeed):
    def get_object(self, request, programme: str):
        return get_object_or_404(Programme.objects.public(), slug=programme)

    def title(self, obj: Programme) -> str:
        return f"{obj.short_name or obj.name} — mises à jour"

    def link(self, obj: Programme) -> str:
        return reverse("publication:programme", args=[obj.slug])

    def subtitle(self, obj: Programme) -> str:
        return "Nouvelles valeurs, changements d’état des mesures, nouvelles initiatives locales."

    def items(self, obj: Programme):
        return changes(programme=obj)


class MeasureFeed(ChangesFeed):
    def get_object(self, request, programme: str, measure: str):
        return get_object_or_404(Measure.objects.public(), programme__slug=programme, slug=measure)

    def title(self, obj: Measure) -> str:
        return f"{obj.title} — mises à jour"

    def link(self, obj: Measure) -> str:
        return reverse("publication:measure", args=[obj.programme.slug, obj.slug])

    def items(self, obj: Measure):
        return changes(measure=obj)


class TerritoryFeed(ChangesFeed):
    def get_object(self, request, code: str):
        return get_object_or_404(Territory, code=Territory.code_from_slug(code))

    def title(self, obj: Territory) -> str:
        return f"{obj.label} — mises à jour"

    def link(self, obj: Territory) -> str:
        return reverse("publication:territory", args=[obj.slug])

    def items(self, obj: Territory):
        return changes(territory=obj)
