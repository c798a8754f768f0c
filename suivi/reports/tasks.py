"""Reports are made in the background for downloads (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from suivi.reports import services
from suivi.reports.models import ReportFile


@task()
def generate_report(report_id: int) -> str:
    report_file = ReportFile.objects.get(pk=report_id)
    return services.generate(report_file).state
