"""Reports are read in the background (django-tasks; `manage.py db_worker` executes them)."""

from __future__ import annotations

from django_tasks import task

from suivi.extraction import services
from suivi.extraction.models import ExtractionDraft


@task()
def read_report(draft_id: int) -> str:
    draft = ExtractionDraft.objects.select_related("programme").get(pk=draft_id)
    services.run(draft)
    draft.refresh_from_db()
    return draft.state
