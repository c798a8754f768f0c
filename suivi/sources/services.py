"""Where a written figure comes from: a document already known, an uploaded file, or an address."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from suivi.sources.models import SourceDocument, SourceLocator

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ACCEPTED_TYPES = {
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass
class SourceSpec:
    """A writer's reference: one of ``document``, ``upload`` or ``url``, with an optional place and quote."""

    document: SourceDocument | None = None
    upload: object | None = None  # an UploadedFile
    url: str = ""
    title: str = ""
    page: int | None = None
    quote: str = ""
    lines: tuple[int, int] | None = None  # the span the quote is read in, when the document has lines

    @property
    def empty(self) -> bool:
        return self.document is None and self.upload is None and not self.url


def check_upload(upload) -> str:
    """The file's extension if it may be stored; ``ValidationError`` naming the file otherwise."""
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ACCEPTED_TYPES:
        raise ValidationError(
            _("%(name)s : format non accepté (formats acceptés : %(types)s).")
            % {"name": upload.name, "types": ", ".join(sorted(ACCEPTED_TYPES))}
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("%s : le fichier dépasse 20 Mo.") % upload.name)
    return suffix


def _store(upload, suffix: str) -> tuple[str, str]:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha = digest.hexdigest()
    relative = Path("sources") / f"{sha}{suffix}"
    target = Path(settings.MEDIA_ROOT) / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        with partial.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        partial.replace(target)  # never a half-written file under the final name
    return sha, f"media:{relative.as_posix()}"


def locator_for(programme, spec: SourceSpec) -> SourceLocator | None:
    """The locator a written figure cites; call inside a recorded change."""
    if spec.empty:
        return None
    document = spec.document
    if spec.upload is not None:
        suffix = check_upload(spec.upload)
        sha, path = _store(spec.upload, suffix)
        document = SourceDocument.objects.filter(programme=programme, sha256=sha).first()
        if document is None:
            title = spec.title or Path(spec.upload.name).stem
            document = SourceDocument.objects.create(
                programme=programme,
                slug=_unique_slug(programme, title),
                title=title[:300],
                file_path=path,
                sha256=sha,
                media_type=ACCEPTED_TYPES.get(suffix) or mimetypes.guess_type(spec.upload.name)[0] or "",
                published_on=timezone.localdate(),
            )
    elif document is None:
        document = SourceDocument.objects.filter(programme=programme, url=spec.url).first()
        if document is None:
            title = spec.title or spec.url
            document = SourceDocument.objects.create(
                programme=programme, slug=_unique_slug(programme, title), title=title[:300], url=spec.url
            )
    elif document.programme_id not in (None, programme.pk):
        raise ValidationError({"source_document": _("Ce document n’est pas une source de ce programme.")})
    quote = spec.quote.strip() or _("Document joint par le contributeur.")
    first, last = spec.lines or (None, None)
    locator, _created = SourceLocator.objects.get_or_create(
        document=document, page=spec.page, quote=quote[:2000], line_start=first, line_end=last
    )
    return locator


def _unique_slug(programme, title: str) -> str:
    base = slugify(title)[:90] or "document"
    slug, n = base, 2
    while SourceDocument.objects.filter(programme=programme, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
