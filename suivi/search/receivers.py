"""Keep the search index in step with every recorded change and territory load."""

from django.dispatch import receiver

from suivi.catalogue.models import Programme
from suivi.contributions.recording import data_changed
from suivi.search.indexing import index_programme, index_territories
from suivi.search.models import Kind, SearchEntry
from suivi.territories.signals import territories_loaded


@receiver(data_changed)
def reindex_programmes(sender, change_set, programmes, **kwargs) -> None:
    for programme in Programme.objects.filter(slug__in=programmes):
        index_programme(programme)


@receiver(territories_loaded)
def reindex_territories(sender, report, **kwargs) -> None:
    if report.changed or not SearchEntry.objects.filter(kind=Kind.TERRITORY).exists():
        index_territories()
