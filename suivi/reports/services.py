"""Making reports: to a file from the command line, or in the background for downloads."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from suivi.reports import build, render
from suivi.reports.models import DataVersion, ReportFile, ReportFormat, ReportState

# WeasyPrint logs its steps ("Step 4 - Creating layout"…) on this logger: they move the bar.
WEASYPRINT_STEPS = {"Step 1": 45, "Step 2": 50, "Step 3": 55, "Step 4": 60, "Step 5": 85, "Step 6": 90}


def make(report: build.Report, fmt: str, progress=None) -> bytes:
    """The report's bytes in ``fmt`` (``pdf`` or ``html``); ``progress(percent, step)`` hears how far it is."""
    progress = progress or (lambda percent, step: None)
    progress(30, "Mise en page")
    text = render.html(report)
    if fmt == ReportFormat.HTML:
        return text.encode("utf-8")
    progress(40, "Composition du PDF")
    handler = _StepHandler(progress)
    logger = logging.getLogger("weasyprint.progress")
    logger.addHandler(handler)
    previous = logger.level, logger.propagate
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the steps move the bar; they are not news for the console
    try:
        return render.pdf(report, text)
    finally:
        logger.removeHandler(handler)
        logger.level, logger.propagate = previous


class _StepHandler(logging.Handler):
    def __init__(self, progress):
        super().__init__(logging.INFO)
        self.progress = progress
        self.reached = 0  # WeasyPrint repeats and interleaves its steps: the bar only moves forward

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        for step, percent in WEASYPRINT_STEPS.items():
            if message.startswith(step) and percent > self.reached:
                self.reached = percent
                self.progress(percent, "Composition du PDF")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder: a reader sees
    the old file or the whole new one, never a part (a full disk leaves no truncated file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a report is public
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def request(programme: str, fmt: str, retry: bool = False, **scope: str) -> ReportFile:
    """The report of this scope for the programme's current data: made already, under way, or queued now.

    A report that failed stays failed (its page says why) until someone asks to ``retry``.
    """
    version = DataVersion.of(programme)
    fields = {
        "programme_slug": programme,
        "axis_slug": scope.get("axis") or "",
        "measure_slug": scope.get("measure") or "",
        "territory_code": scope.get("territory") or "",
        "format": fmt,
        "data_version": version,
    }
    with transaction.atomic():
        found, created = ReportFile.objects.get_or_create(**fields)
        if not created and retry and found.state == ReportState.FAILED:
            found.state, found.progress, found.error, found.step = ReportState.QUEUED, 0, "", ""
            found.save(update_fields=["state", "progress", "error", "step"])
            created = True
        if created:
            from suivi.reports.tasks import generate_report

            transaction.on_commit(lambda: generate_report.enqueue(found.pk))
    found.refresh_from_db()  # an immediate backend (tests, TASKS_BACKEND=immediate) has made it already
    return found


def generate(report_file: ReportFile) -> ReportFile:
    """Make the file of ``report_file`` and record how it went (errors are kept, not raised)."""

    def progress(percent: int, step: str) -> None:
        ReportFile.objects.filter(pk=report_file.pk).update(progress=percent, step=step)

    ReportFile.objects.filter(pk=report_file.pk).update(
        state=ReportState.RUNNING, progress=5, step="Lecture des données"
    )
    try:
        report = build.build(report_file.programme_slug, **report_file.scope)
        progress(25, "Lecture des données")
        data = make(report, report_file.format, progress)
        relative = Path("rapports") / f"v{report_file.data_version}" / report_file.file_name
        write_atomically(Path(settings.MEDIA_ROOT) / relative, data)
    except Exception as exc:  # a report that cannot be made says why on its page
        logging.getLogger(__name__).exception("report %s failed", report_file.pk)
        ReportFile.objects.filter(pk=report_file.pk).update(
            state=ReportState.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
        )
    else:
        ReportFile.objects.filter(pk=report_file.pk).update(
            state=ReportState.DONE,
            progress=100,
            step="",
            path=str(relative),
            size=len(data),
            finished_at=timezone.now(),
        )
        _forget_older(report_file)
    report_file.refresh_from_db()
    return report_file


def _forget_older(report_file: ReportFile) -> None:
    """Drop the files of the same report made from older data: they are out of date."""
    older = ReportFile.objects.filter(
        programme_slug=report_file.programme_slug,
        axis_slug=report_file.axis_slug,
        measure_slug=report_file.measure_slug,
        territory_code=report_file.territory_code,
        format=report_file.format,
        data_version__lt=report_file.data_version,
    )
    for stale in older:
        if stale.path:
            (Path(settings.MEDIA_ROOT) / stale.path).unlink(missing_ok=True)
    older.delete()
