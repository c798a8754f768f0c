"""Reports are cached until the data of their programme changes (see ``models.DataVersion``)."""

from __future__ import annotations

from django.dispatch import receiver

from suivi.contributions.recording import data_changed
from suivi.reports.models import DataVersion


@receiver(data_changed)
def _bump_versions(sender, change_set, programmes, **kwargs) -> None:
    DataVersion.bump(programmes)
