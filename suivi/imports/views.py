"""Upload a file of values, watch it being checked, read the preview, then import it (or not).

The work runs in the background (``suivi.imports.tasks``); the job's page refreshes itself
while it runs — with a plain ``<meta http-equiv="refresh">``, so it works without JavaScript.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suivi.catalogue.models import Programme
from suivi.contributions.rights import NotAllowed, Rights
from suivi.contributions.views import crumbs, refused
from suivi.imports import engine, tasks
from suivi.imports.mapping import Mapping, MappingError
from suivi.imports.models import ImportJob, JobState

MAX_IMPORT_BYTES = 200 * 1024 * 1024
SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx"}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier de valeurs"),
        help_text=gettext_lazy("CSV (séparateur , ; tabulation, UTF-8 ou Latin-1) ou XLSX, 200 Mo au plus."),
    )
    mapping = forms.FileField(
        label=gettext_lazy("Correspondance des colonnes (facultatif)"),
        required=False,
        help_text=gettext_lazy("Un fichier YAML qui nomme les colonnes ; sans lui, les en-têtes du modèle sont lus."),
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Publier directement (équipe du programme)"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("%s : format non accepté (CSV ou XLSX).") % upload.name)
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("%s : le fichier dépasse 200 Mo.") % upload.name)
        return upload

    def clean_mapping(self):
        upload = self.cleaned_data.get("mapping")
        if not upload:
            return Mapping.default()
        import yaml

        try:
            document = yaml.safe_load(upload.read(64 * 1024).decode("utf-8"))
            return Mapping.from_dict(document, name=upload.name)
        except (UnicodeDecodeError, yaml.YAMLError, MappingError) as error:
            raise forms.ValidationError(str(error)) from None


def _store(upload) -> dict:
    """Keep the upload under var/media/imports/, named by its SHA-256 (never half-written)."""
    digest = hashlib.sha256()
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.name).suffix.lower()
    partial = folder / f"upload-{id(upload)}{suffix}.part"
    with partial.open("wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    target = folder / f"{digest.hexdigest()}{suffix}"
    partial.replace(target)
    return {"path": str(target), "name": Path(upload.name).name, "sha256": digest.hexdigest(), "size": upload.size}


@login_required
def upload(request, programme: str):
    instance = get_object_or_404(Programme, slug=programme)
    rights = Rights.of(request.user)
    reviewer = rights.can_review(instance.pk)
    if not reviewer and not (rights.anyone and rights.scope_measures(instance) and instance.pk in rights.programme_ids):
        return refused(request, NotAllowed(_("Vous n’avez aucun droit d’écrire dans ce programme.")))
    form = UploadForm(request.POST or None, request.FILES or None)
    if not reviewer:
        del form.fields["publish"]
    if request.method == "POST" and form.is_valid():
        publish = reviewer and form.cleaned_data["publish"]
        if request.POST.get("publish") and not reviewer:
            form.add_error(None, _("Seule l’équipe du programme peut publier directement."))
        else:
            entry = _store(form.cleaned_data["file"])
            job = engine.create_job(
                instance, request.user, [entry], mapping=form.cleaned_data["mapping"], publish=publish
            )
            tasks.check_import.enqueue(job.pk)
            return redirect("imports:job", pk=job.pk)
    jobs = ImportJob.objects.filter(programme=instance)
    if not reviewer:
        jobs = jobs.filter(author=request.user)
    return render(
        request,
        "imports/upload.html",
        {
            "programme": instance,
            "form": form,
            "reviewer": reviewer,
            "jobs": jobs.select_related("author")[:20],
            "title": _("Importer des valeurs"),
            "breadcrumb_data": crumbs(current=_("Importer des valeurs — %s") % instance.short_name),
        },
    )


def _job_for(request, pk: int) -> tuple[ImportJob, Rights]:
    job = get_object_or_404(ImportJob.objects.select_related("programme", "author", "change_set"), pk=pk)
    rights = Rights.of(request.user)
    if job.author_id != request.user.pk and not rights.can_review(job.programme_id):
        raise Http404
    return job, rights


@login_required
def job_page(request, pk: int):
    job, rights = _job_for(request, pk)
    problems = [engine.Problem(**p) for p in job.errors]
    return render(
        request,
        "imports/job.html",
        {
            "job": job,
            "problems": problems,
            "more_errors": max(job.error_count - len(problems), 0),
            "may_revert": job.state == JobState.DONE and job.change_set_id and rights.can_review(job.programme_id),
            "refresh": job.running,
            "title": _("Import n° %s") % job.pk,
            "breadcrumb_data": crumbs(
                (reverse("imports:upload", args=[job.programme.slug]), _("Importer des valeurs")),
                current=_("Import n° %s") % job.pk,
            ),
        },
    )


@login_required
@require_POST
def job_apply(request, pk: int):
    job, _rights = _job_for(request, pk)
    if job.state != JobState.CHECKED:
        messages.error(request, _("Cet import n’est pas prêt : il doit d’abord être vérifié sans erreur."))
    else:
        tasks.apply_import.enqueue(job.pk)
        messages.info(request, _("Import lancé : la page se met à jour d’elle-même."))
    return redirect("imports:job", pk=job.pk)


@login_required
@require_POST
def job_revert(request, pk: int):
    job, _rights = _job_for(request, pk)
    try:
        engine.revert(job, request.user, request.POST.get("reason", ""))
    except NotAllowed as error:
        return refused(request, error)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("imports:job", pk=job.pk)
    messages.success(
        request,
        _("Import annulé : ses nouvelles valeurs sont retirées, les autres ont repris leur version précédente."),
    )
    return redirect("imports:job", pk=job.pk)


@login_required
def template(request, programme: str):
    """A CSV to fill in: the template's headers, one line per indicator the writer may report on."""
    instance = get_object_or_404(Programme, slug=programme)
    rights = Rights.of(request.user)
    measures = rights.scope_measures(instance) if rights.anyone else []
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        ["indicateur", "territoire", "date", "valeur", "unite", "qualificatif", "statut", "source", "commentaire"]
    )
    for measure in measures:
        for indicator in measure.indicators.order_by("position", "slug"):
            writer.writerow([indicator.slug, "", "", "", indicator.unit, "", "", "", indicator.name])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="modele-import-{instance.slug}.csv"'
    return response
