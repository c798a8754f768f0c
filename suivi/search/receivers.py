"""Keep the search index in step with loads."""

from django.dispatch import receiver

from suivi.catalogue.signals import programme_loaded
from suivi.search.indexing import index_programme, index_territories
from suivi.search.models import Kind, SearchEntry
from suivi.territories.signals import territories_loaded


@receiver(programme_loaded)
def reindex_programme(sender, programme, **kwargs) -> None:
    index_programme(programme)


@receiver(territories_loaded)
def reindex_territories(sender, report, **kwargs) -> None:
    if report.changed or not SearchEntry.objects.filter(kind=Kind.TERRITORY).exists():
        index_territories()
