"""Deposit a report, follow its reading, then review its items one by one.

The reading runs in the background (``suivi.extraction.tasks``); the draft's page refreshes
itself while it runs, with a plain ``<meta http-equiv="refresh">``, so it works without
JavaScript. A draft is seen by its author and the programme's team only.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from suivi.catalogue.models import Programme
from suivi.contributions.forms import NumberField, PartialDateField, TerritoryField
from suivi.contributions.rights import NotAllowed, Rights
from suivi.contributions.views import crumbs, refused
from suivi.extraction import services, tasks
from suivi.extraction.models import KIND_LABELS, Decision, DraftItem, ExtractionDraft
from suivi.extraction.reading import read
from suivi.indicators.models import Indicator
from suivi.indicators.services import ValueInput
from suivi.sources.precision import Qualifier
from suivi.sources.services import MAX_UPLOAD_BYTES, _store

SUFFIXES = {".pdf", ".txt"}


class DepositForm(DsfrBaseForm):
    file = forms.FileField(
        label=gettext_lazy("Rapport à lire"),
        help_text=gettext_lazy("PDF avec sa couche texte, ou texte brut (UTF-8 ou Latin-1) ; 20 Mo au plus."),
    )
    document_date = forms.DateField(
        label=gettext_lazy("Date du document (facultatif)"),
        required=False,
        help_text=gettext_lazy("Pour lire « le 10 octobre dernier » ; sans elle, la date la plus récente du texte."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise ValidationError(_("%s : format non accepté (PDF ou texte).") % upload.name)
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("%s : le fichier dépasse 20 Mo.") % upload.name)
        return upload


class FigureForm(DsfrBaseForm):
    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none(), label=gettext_lazy("Indicateur"))
    territory = TerritoryField(label=gettext_lazy("Territoire"))
    date = PartialDateField(label=gettext_lazy("Date du fait"))
    value = NumberField(label=gettext_lazy("Valeur"), max_length=40)
    qualifier = forms.ChoiceField(label=gettext_lazy("Précision de la valeur"), choices=Qualifier.choices)

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = (
            Indicator.objects.filter(measure__in=measures)
            .select_related("measure")
            .order_by("measure__position", "position")
        )
        self.fields["indicator"].label_from_instance = lambda i: f"{i.measure.title} — {i.name} ({i.unit})"


def _writer(request, programme: Programme) -> Rights | None:
    rights = Rights.of(request.user)
    if rights.can_review(programme.pk) or (rights.anyone and programme.pk in rights.programme_ids):
        return rights
    return None


@login_required
def deposit(request, programme: str):
    instance = get_object_or_404(Programme, slug=programme)
    rights = _writer(request, instance)
    if rights is None:
        return refused(request, NotAllowed(_("Vous n’avez aucun droit d’écrire dans ce programme.")))
    form = DepositForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        sha, relative = _store(upload, Path(upload.name).suffix.lower())
        path = Path(settings.MEDIA_ROOT) / relative.removeprefix("media:")
        draft = ExtractionDraft.objects.create(
            programme=instance,
            author=request.user,
            name=Path(upload.name).name,
            path=str(path),
            sha256=sha,
            size=upload.size,
            document_date=form.cleaned_data["document_date"],
        )
        tasks.read_report.enqueue(draft.pk)
        return redirect("extraction:draft", pk=draft.pk)
    drafts = ExtractionDraft.objects.filter(programme=instance)
    if not rights.can_review(instance.pk):
        drafts = drafts.filter(author=request.user)
    return render(
        request,
        "extraction/deposit.html",
        {
            "programme": instance,
            "form": form,
            "drafts": drafts[:20],
            "title": _("Lire un rapport"),
            "breadcrumb_data": crumbs(current=_("Lire un rapport — %s") % instance.short_name),
        },
    )


def _draft_for(request, pk: int) -> tuple[ExtractionDraft, Rights]:
    draft = get_object_or_404(ExtractionDraft.objects.select_related("programme", "author", "document"), pk=pk)
    rights = Rights.of(request.user)
    if draft.author_id != request.user.pk and not rights.can_review(draft.programme_id):
        raise Http404
    return draft, rights


@login_required
def draft_page(request, pk: int):
    draft, _rights = _draft_for(request, pk)
    kind = request.GET.get("type", "")
    items = draft.items.order_by("position")
    if kind in KIND_LABELS:
        items = items.filter(kind=kind)
    counts = dict.fromkeys(KIND_LABELS, 0)
    for k in draft.items.values_list("kind", flat=True):
        counts[k] = counts.get(k, 0) + 1
    return render(
        request,
        "extraction/draft.html",
        {
            "draft": draft,
            "items": items,
            "kind": kind,
            "kinds": [(k, KIND_LABELS[k], counts[k]) for k in KIND_LABELS],
            "step": services.STEP_LABELS.get(draft.step, draft.step),
            "refresh": draft.running,
            "title": _("Brouillon : %s") % draft.name,
            "breadcrumb_data": crumbs(
                (reverse("extraction:deposit", args=[draft.programme.slug]), _("Lire un rapport")),
                current=draft.name,
            ),
        },
    )


def _context_lines(draft: ExtractionDraft, item: DraftItem) -> list[tuple[int, str, bool]]:
    try:
        lines = read(draft.path).lines
    except Exception:
        return []
    first, last = max(1, item.line_start - 2), min(len(lines), item.line_end + 2)
    return [(n, lines[n - 1].text, item.line_start <= n <= item.line_end) for n in range(first, last + 1)]


@login_required
def item_page(request, pk: int, position: int):
    draft, rights = _draft_for(request, pk)
    item = get_object_or_404(DraftItem, draft=draft, position=position)
    form = None
    if item.kind == "quantity" and item.decision == Decision.PENDING:
        measures = rights.scope_measures(draft.programme)
        suggested = item.data.get("suggested", {})
        initial_indicator = Indicator.objects.filter(
            measure__programme=draft.programme, measure__slug=suggested.get("measure")
        )
        form = FigureForm(
            request.POST or None,
            measures=measures,
            initial={
                "indicator": initial_indicator.first() if initial_indicator.count() == 1 else None,
                "territory": suggested.get("territory", "fr"),
                "date": suggested.get("date", ""),
                "value": item.data.get("value", "").replace(".", ","),
                "qualifier": item.data.get("qualifier", Qualifier.EXACT),
            },
        )
        if request.method == "POST" and form.is_valid():
            value = ValueInput.from_form(form.cleaned_data)
            try:
                observation = services.accept_figure(request.user, item, value)
            except NotAllowed as error:
                return refused(request, error)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            except services.AlreadyDecided as error:
                messages.error(request, str(error))
                return redirect("extraction:draft", pk=draft.pk)
            else:
                messages.success(
                    request,
                    _("Valeur enregistrée (%(status)s), avec le rapport pour source.")
                    % {"status": observation.get_status_display()},
                )
                return redirect(reverse("extraction:draft", args=[draft.pk]) + f"#element-{item.position}")
    return render(
        request,
        "extraction/item.html",
        {
            "draft": draft,
            "item": item,
            "form": form,
            "excerpt": _context_lines(draft, item),
            "title": _("Élément n° %(n)s — %(name)s") % {"n": item.position + 1, "name": draft.name},
            "breadcrumb_data": crumbs(
                (reverse("extraction:deposit", args=[draft.programme.slug]), _("Lire un rapport")),
                (reverse("extraction:draft", args=[draft.pk]), draft.name),
                current=_("Élément n° %s") % (item.position + 1),
            ),
        },
    )


@login_required
@require_POST
def decide(request, pk: int, position: int):
    draft, _rights = _draft_for(request, pk)
    item = get_object_or_404(DraftItem, draft=draft, position=position)
    decision = request.POST.get("decision")
    if decision not in (Decision.ACCEPTED, Decision.REJECTED) or (
        decision == Decision.ACCEPTED and item.kind == "quantity"
    ):
        messages.error(request, _("Décision inconnue : un chiffre s’accepte depuis sa page, avec son indicateur."))
    else:
        try:
            services.decide(request.user, item, decision)
        except services.AlreadyDecided as error:
            messages.error(request, str(error))
    return redirect(reverse("extraction:draft", args=[draft.pk]) + f"#element-{item.position}")
