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
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from suivi.catalogue.models import Axis, Measure, Programme
from suivi.catalogue.models import Decision as ProgrammeDecision
from suivi.contributions.forms import InitiativeForm, NumberField, PartialDateField, TerritoryField
from suivi.contributions.rights import NotAllowed, Rights
from suivi.contributions.views import crumbs, refused
from suivi.extraction import services, tasks
from suivi.extraction.models import KIND_LABELS, Decision, DraftItem, ExtractionDraft
from suivi.extraction.reading import read
from suivi.indicators.models import Indicator
from suivi.indicators.services import ValueInput
from suivi.initiatives.services import InitiativeInput
from suivi.sources.precision import Qualifier
from suivi.sources.services import MAX_UPLOAD_BYTES, _store

SUFFIXES = {".pdf", ".txt"}
PER_PAGE = 100  # items on a draft's page


class DepositForm(DsfrBaseForm):
    file = forms.FileField(
        label=gettext_lazy("Rapport à lire"),
        help_text=gettext_lazy("PDF avec sa couche texte, ou texte brut (UTF-8 ou Latin-1) ; 20 Mo au plus."),
    )
    document_date = forms.DateField(
        label=gettext_lazy("Date du document"),
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
        _indicators(self.fields["indicator"], measures)


class TargetForm(DsfrBaseForm):
    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none(), label=gettext_lazy("Indicateur"))
    mode = forms.ChoiceField(
        label=gettext_lazy("Nature de l’objectif"),
        choices=[
            ("level", gettext_lazy("atteindre une valeur (« 30 orchestres »)")),
            ("increment", gettext_lazy("ajouter à la valeur initiale (« 2 nouveaux centres »)")),
            ("factor", gettext_lazy("multiplier la valeur initiale (0,5 pour « diviser par 2 »)")),
        ],
    )
    value = NumberField(label=gettext_lazy("Valeur"), max_length=40)
    deadline = PartialDateField(label=gettext_lazy("Échéance"), required=False)
    sentence = forms.CharField(
        label=gettext_lazy("L’objectif, tel que le public le lira"),
        max_length=300,
        help_text=gettext_lazy("Ex. : « 30 orchestres d’ici à 2018 »."),
    )

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        _indicators(self.fields["indicator"], measures)


class MoneyForm(DsfrBaseForm):
    measure = forms.ModelChoiceField(queryset=Measure.objects.none(), label=gettext_lazy("Mesure"))
    label = forms.CharField(label=gettext_lazy("Libellé"), max_length=300)
    amount = NumberField(label=gettext_lazy("Montant (€)"), max_length=40)
    qualifier = forms.ChoiceField(label=gettext_lazy("Précision du montant"), choices=Qualifier.choices)
    funder = forms.CharField(
        label=gettext_lazy("Financeur"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Son nom ou son sigle ; une organisation inconnue est ajoutée."),
    )
    date = PartialDateField(label=gettext_lazy("Date"), required=False)

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures


class PartnerForm(DsfrBaseForm):
    measure = forms.ModelChoiceField(queryset=Measure.objects.none(), label=gettext_lazy("Mesure"))
    name = forms.CharField(label=gettext_lazy("Nom de l’organisation"), max_length=300)
    acronym = forms.CharField(label=gettext_lazy("Sigle"), max_length=30, required=False)

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures


class MeasureForm(DsfrBaseForm):
    axis = forms.ModelChoiceField(queryset=Axis.objects.none(), label=gettext_lazy("Axe"))
    title = forms.CharField(label=gettext_lazy("Titre"), max_length=300)
    decisions = forms.ModelMultipleChoiceField(
        queryset=ProgrammeDecision.objects.none(),
        label=gettext_lazy("Décisions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = programme.axes.order_by("position")
        self.fields["decisions"].queryset = programme.decisions.order_by("number")


def _indicators(field, measures) -> None:
    field.queryset = (
        Indicator.objects.filter(measure__in=measures)
        .select_related("measure")
        .order_by("measure__position", "position")
    )
    field.label_from_instance = lambda i: f"{i.measure.title} — {i.name} ({i.unit})"


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
    items = draft.items.select_related("result_type").order_by("position")
    if kind in KIND_LABELS:
        items = items.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    counts = dict.fromkeys(KIND_LABELS, 0)
    for k in draft.items.values_list("kind", flat=True):
        counts[k] = counts.get(k, 0) + 1
    return render(
        request,
        "extraction/draft.html",
        {
            "draft": draft,
            "rows": [(item, writes(item), item.kind in KEPT_ONLY_FROM_PAGE, result_link(item)) for item in page],
            "page": page,
            "querystring": QueryDict(f"type={kind}" if kind else ""),
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


# Items that are data (a figure, a target, an amount): accepted only by writing them.
KEPT_ONLY_FROM_PAGE = ("quantity", "target", "money")


def back_to(item: DraftItem) -> str:
    """The draft's page where the item's row is (unfiltered), at the row."""
    page = item.position // PER_PAGE + 1
    query = f"?page={page}" if page > 1 else ""
    return reverse("extraction:draft", args=[item.draft_id]) + f"{query}#element-{item.position}"


def _context_lines(draft: ExtractionDraft, item: DraftItem) -> list[tuple[int, str, bool]]:
    try:
        lines = read(draft.path).lines
    except Exception:
        return []
    first, last = max(1, item.line_start - 2), min(len(lines), item.line_end + 2)
    return [(n, lines[n - 1].text, item.line_start <= n <= item.line_end) for n in range(first, last + 1)]


# What accepting an item writes: the heading over its form, and what the page says it does.
WRITES = {
    "quantity": (
        gettext_lazy("En faire une valeur"),
        gettext_lazy(
            "Choisissez l’indicateur et vérifiez le territoire, la date et la valeur proposés. La valeur "
            "suivra le circuit de relecture, avec ce rapport pour source (page, lignes et citation ci-dessus)."
        ),
    ),
    "target": (
        gettext_lazy("En faire l’objectif d’un indicateur"),
        gettext_lazy(
            "L’objectif remplace celui que l’indicateur avait (l’historique garde l’ancien), avec ce rapport "
            "pour source. Réservé à l’équipe du programme."
        ),
    ),
    "money": (
        gettext_lazy("En faire un financement"),
        gettext_lazy(
            "Une ligne de financement de la mesure, avec son financeur, et ce rapport pour source. Réservé à "
            "l’équipe du programme. Si ce montant est compris dans un autre, dites-le dans l’administration."
        ),
    ),
    "organisation": (
        gettext_lazy("En faire un partenaire"),
        gettext_lazy(
            "L’organisation (retrouvée par son nom ou son sigle, ajoutée sinon) devient partenaire de la "
            "mesure. Réservé à l’équipe du programme."
        ),
    ),
    "place": (
        gettext_lazy("En faire une initiative locale"),
        gettext_lazy(
            "Une initiative en ce lieu, avec le passage pour texte et ce rapport pour source ; celle d’un "
            "contributeur reste un brouillon jusqu’à sa validation."
        ),
    ),
    "measure": (
        gettext_lazy("En faire une nouvelle mesure"),
        gettext_lazy(
            "Ce titre ne correspond à aucune mesure du programme. La mesure est créée non publiée, pour "
            "que l’équipe la complète avant qu’elle paraisse. Réservé à l’équipe du programme."
        ),
    ),
}


def writes(item: DraftItem) -> bool:
    """Whether accepting this item writes something (and so goes through its page's form)."""
    return item.kind in WRITES and not (item.kind == "measure" and item.data.get("match"))


def _plain(value) -> str:
    return str(value or "").replace(".", ",")


def _form_for(request, draft: ExtractionDraft, item: DraftItem, rights: Rights):
    """The form that turns the item into data, filled with what was read."""
    data, post = item.data, request.POST or None
    measures = rights.scope_measures(draft.programme)
    scoped = Measure.objects.filter(pk__in=[m.pk for m in measures]).order_by("position")  # for model choices
    suggested = data.get("suggested", {})
    heading = _measure_above(draft, item)
    if item.kind == "quantity":
        initial_indicator = Indicator.objects.filter(
            measure__programme=draft.programme, measure__slug=suggested.get("measure")
        )
        return FigureForm(
            post,
            measures=measures,
            initial={
                "indicator": initial_indicator.first() if initial_indicator.count() == 1 else None,
                "territory": suggested.get("territory", "fr"),
                "date": suggested.get("date", ""),
                "value": _plain(data.get("value")),
                "qualifier": data.get("qualifier", Qualifier.EXACT),
            },
        )
    if item.kind == "target":
        return TargetForm(
            post,
            measures=measures,
            initial={
                "indicator": _indicator_counting(heading, data.get("counted", "")),
                "mode": data.get("mode", "level"),
                "value": _plain(data.get("value")),
                "deadline": data.get("deadline") or "",
                "sentence": " ".join(item.quote.split())[:300],
            },
        )
    if item.kind == "money":
        return MoneyForm(
            post,
            measures=scoped,
            initial={
                "measure": heading,
                "label": " ".join(item.quote.split())[:300],
                "amount": _plain(data.get("amount")),
                "qualifier": data.get("qualifier", Qualifier.EXACT),
                "funder": data.get("funder") or "",
            },
        )
    if item.kind == "organisation":
        return PartnerForm(
            post,
            measures=scoped,
            initial={"measure": heading, "name": data.get("name", ""), "acronym": data.get("acronym", "")},
        )
    if item.kind == "place":
        form = InitiativeForm(
            post,
            measures=scoped,
            initial={
                "title": data.get("name", ""),
                "body": " ".join(item.quote.split()),
                "measures": [heading] if heading else [],
                "territories": data.get("code", ""),
            },
        )
        del form.fields["version"]
        return form
    if item.kind == "measure" and not data.get("match"):
        numbers = data.get("decisions", [])
        return MeasureForm(
            post,
            programme=draft.programme,
            initial={
                "title": data.get("title", "").capitalize(),
                "decisions": list(draft.programme.decisions.filter(number__in=numbers)),
            },
        )
    return None


def _indicator_counting(measure: Measure | None, counted: str) -> Indicator | None:
    """The indicator of the measure a target is about: the only one, or the only one whose unit is
    what the target counts ("30 orchestres" → the indicator in orchestres)."""
    if measure is None:
        return None
    indicators = list(measure.indicators.all())
    if len(indicators) > 1 and counted:
        word = counted.split()[0].lower()
        indicators = [i for i in indicators if i.unit.lower() == word]
    return indicators[0] if len(indicators) == 1 else None


def _measure_above(draft: ExtractionDraft, item: DraftItem) -> Measure | None:
    """The existing measure whose heading comes last before the item in the text."""
    above = (
        draft.items.filter(kind="measure", position__lt=item.position)
        .order_by("-position")
        .values_list("data", flat=True)
    )
    for data in above:
        if data.get("match"):
            return Measure.objects.filter(programme=draft.programme, slug=data["match"]).first()
        return None
    return None


def _accept(request, item: DraftItem, form):
    """Write the item from its form's cleaned data; the written object and the message to show."""
    data = form.cleaned_data
    if item.kind == "quantity":
        observation = services.accept_figure(request.user, item, ValueInput.from_form(data))
        return _("Valeur enregistrée (%(status)s), avec le rapport pour source.") % {
            "status": observation.get_status_display()
        }
    if item.kind == "target":
        target = services.TargetInput(
            data["indicator"], data["mode"], data["value"], data["deadline"], data["sentence"]
        )
        indicator = services.accept_target(request.user, item, target)
        return _("Objectif enregistré pour « %s », avec le rapport pour source.") % indicator.name
    if item.kind == "money":
        money = services.MoneyInput(
            data["measure"], data["label"], data["amount"], data["qualifier"], data["funder"], data["date"]
        )
        services.accept_money(request.user, item, money)
        return _("Financement ajouté à « %s », avec le rapport pour source.") % data["measure"].title
    if item.kind == "organisation":
        organisation = services.accept_partner(request.user, item, data["measure"], data["name"], data["acronym"])
        return _("%(org)s est partenaire de « %(measure)s ».") % {
            "org": organisation.name,
            "measure": data["measure"].title,
        }
    if item.kind == "place":
        initiative = services.accept_initiative(request.user, item, InitiativeInput.from_form(data))
        return _("Initiative enregistrée (%(status)s), avec le rapport pour source.") % {
            "status": initiative.get_status_display()
        }
    measure = services.accept_measure(
        request.user, item, services.MeasureInput(data["axis"], data["title"], list(data["decisions"]))
    )
    return _("Mesure « %s » créée, non publiée.") % measure.title


@login_required
def item_page(request, pk: int, position: int):
    draft, rights = _draft_for(request, pk)
    item = get_object_or_404(DraftItem, draft=draft, position=position)
    form = _form_for(request, draft, item, rights) if item.decision == Decision.PENDING else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            message = _accept(request, item, form)
        except NotAllowed as error:
            return refused(request, error)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except services.AlreadyDecided as error:
            messages.error(request, str(error))
            return redirect("extraction:draft", pk=draft.pk)
        else:
            messages.success(request, message)
            return redirect(back_to(item))
    heading, explanation = WRITES.get(item.kind, ("", ""))
    return render(
        request,
        "extraction/item.html",
        {
            "draft": draft,
            "item": item,
            "form": form,
            "form_heading": heading,
            "form_explanation": explanation,
            "result_link": result_link(item),
            "back": back_to(item),
            "excerpt": _context_lines(draft, item),
            "title": _("Élément n° %(n)s — %(name)s") % {"n": item.position + 1, "name": draft.name},
            "breadcrumb_data": crumbs(
                (reverse("extraction:deposit", args=[draft.programme.slug]), _("Lire un rapport")),
                (reverse("extraction:draft", args=[draft.pk]), draft.name),
                current=_("Élément n° %s") % (item.position + 1),
            ),
        },
    )


def result_link(item: DraftItem) -> tuple[str, str] | None:
    """Where what an accepted item wrote can be seen: (address, label)."""
    if item.observation_id:
        return reverse("contributions:item", args=["valeurs", item.observation_id]), _("la valeur")
    written = item.result if item.result_type_id else None
    if written is None:
        return None
    if written._meta.model_name == "initiative":
        return reverse("contributions:item", args=["initiatives", written.pk]), _("l’initiative")
    if written._meta.model_name == "funding":
        written = written.measure
    labels = {"indicator": _("l’indicateur"), "measure": _("la mesure")}
    return (
        reverse(f"admin:{written._meta.app_label}_{written._meta.model_name}_change", args=[written.pk]),
        labels.get(written._meta.model_name, str(written)),
    )


@login_required
@require_POST
def decide(request, pk: int, position: int):
    draft, _rights = _draft_for(request, pk)
    item = get_object_or_404(DraftItem, draft=draft, position=position)
    decision = request.POST.get("decision")
    if decision not in (Decision.ACCEPTED, Decision.REJECTED) or (
        decision == Decision.ACCEPTED and item.kind in KEPT_ONLY_FROM_PAGE
    ):
        messages.error(
            request, _("Décision inconnue : un chiffre, un objectif ou un montant s’accepte depuis sa page.")
        )
    else:
        try:
            services.decide(request.user, item, decision)
        except services.AlreadyDecided as error:
            messages.error(request, str(error))
    return redirect(back_to(item))
