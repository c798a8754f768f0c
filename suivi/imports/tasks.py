"""Imports run in the background (django-tasks; `manage.py db_worker` executes them)."""

from __future__ import annotations

from django_tasks import task

from suivi.imports import engine
from suivi.imports.models import ImportJob, JobState


@task()
def check_import(job_id: int) -> str:
    job = ImportJob.objects.get(pk=job_id)
    engine.check(job)
    return job.state


@task()
def apply_import(job_id: int) -> str:
    job = ImportJob.objects.get(pk=job_id)
    if job.state == JobState.CHECKED:
        engine.apply(job)
    return job.state
