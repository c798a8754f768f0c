"""The contributor space (/espace/): report, correct, submit, review, publish, see and restore history.

Views read and render; every write is one call to a service, which checks the rights.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suivi.catalogue.models import Measure, Programme
from suivi.contributions import history
from suivi.contributions.dashboard import scope_rows
from suivi.contributions.forms import InitiativeForm, LoginForm, MoveForm, SuggestionForm, TokenForm, ValueForm
from suivi.contributions.models import ApiToken
from suivi.contributions.rights import NotAllowed, Rights
from suivi.contributions.services import Conflict, move, scope_of, transitions_of
from suivi.contributions.workflow import AWAITING_REVIEW, Status, moves_from
from suivi.indicators.models import Indicator, Observation
from suivi.indicators.services import ValueInput, save_value
from suivi.initiatives.models import Initiative
from suivi.initiatives.services import InitiativeInput, save_initiative, suggest_initiative
from suivi.publication.views import home_programme
from suivi.sources.precision import format_partial_date
from suivi.territories.lookup import resolve

KINDS = {"valeurs": Observation, "initiatives": Initiative}


def crumbs(*links: tuple[str, str], current: str) -> dict:
    home = (reverse("contributions:dashboard"), _("Espace contributeur"))
    return {"links": [{"url": u, "title": t} for u, t in (home, *links)], "current": current}


class LoginView(auth_views.LoginView):
    template_name = "contributions/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": _("Connexion"), "breadcrumb_data": {"links": [], "current": _("Connexion")}}


def refused(request, exc: NotAllowed):
    return render(request, "contributions/refused.html", {"message": str(exc), "title": _("Accès refusé")}, status=403)


def _attempt(form, write) -> tuple[object | None, dict]:
    """Run a service write for a form: (the saved object, {}), or (None, what the page shows instead).

    Bad values go to the form's fields; a conflict keeps the form and shows both versions,
    with the saved version in the form so that saving again overrides knowingly.
    ``NotAllowed`` goes through, to ``refuses``.
    """
    try:
        return write(), {}
    except ValidationError as exc:
        _add_errors(form, exc)
        return None, {}
    except Conflict as exc:
        form.data = form.data.copy()
        form.data["version"] = exc.current_version
        return None, {"conflict": exc}


def refuses(view):
    """A write the writer has no right to answers a DSFR 403 page; nothing was changed."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotAllowed as exc:
            return refused(request, exc)

    return wrapped


@login_required
def dashboard(request):
    rights = Rights.of(request.user)
    programmes = Programme.objects.order_by("name")
    if not rights.is_admin:
        programmes = programmes.filter(pk__in=rights.programme_ids)
    sections = [
        {
            "programme": p,
            "rows": scope_rows(rights, p),
            "can_review": rights.can_review(p.pk),
            "territories": rights.scope_territories(p),
            "measures": rights.scope_measures(p),
        }
        for p in programmes
    ]
    mine = {
        "values": Observation.objects.filter(entered_by=request.user)
        .exclude(status=Status.PUBLISHED)
        .select_related("indicator__measure__programme", "territory")
        .order_by("-pk")[:50],
        "initiatives": Initiative.objects.filter(entered_by=request.user)
        .exclude(status=Status.PUBLISHED)
        .select_related("programme")
        .order_by("-pk")[:50],
    }
    reviewable = [p.pk for p in programmes if rights.can_review(p.pk)]
    waiting = (
        Observation.objects.filter(status__in=AWAITING_REVIEW, indicator__measure__programme__in=reviewable).count()
        + Initiative.objects.filter(status__in=AWAITING_REVIEW, programme__in=reviewable).count()
    )
    return render(
        request,
        "contributions/dashboard.html",
        {
            "rights": rights,
            "sections": sections,
            "mine": mine,
            "waiting": waiting if reviewable else None,
            "title": _("Espace contributeur"),
            "breadcrumb_data": {"links": [], "current": _("Espace contributeur")},
        },
    )


def _writable_indicators(rights: Rights, programme: Programme):
    measures = rights.scope_measures(programme)
    return (
        Indicator.objects.filter(measure__in=measures)
        .select_related("measure")
        .order_by("measure__position", "position")
    )


@login_required
@refuses
def value_form(request, programme: str, pk: int | None = None):
    instance = get_object_or_404(Programme, slug=programme)
    rights = Rights.of(request.user)
    observation = None
    if pk is not None:
        observation = get_object_or_404(
            Observation.objects.select_related("indicator__measure", "territory"),
            pk=pk,
            indicator__measure__programme=instance,
        )
    initial = {}
    if observation is not None:
        initial = {
            "indicator": observation.indicator,
            "territory": observation.territory.code,
            "date": format_partial_date(observation.date, observation.date_precision),
            "value": format(observation.value.normalize(), "f"),
            "qualifier": observation.qualifier,
            "comment": observation.comment,
            "version": observation.version,
        }
    elif request.GET.get("indicateur"):
        initial = {"indicator": request.GET["indicateur"], "territory": request.GET.get("territoire", "")}
    form = ValueForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        indicators=_writable_indicators(rights, instance),
        programme=instance,
    )
    extra = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        value_input = ValueInput.from_form(
            data,
            comment=data["comment"],
            source=observation.source if observation is not None else None,
            cite=form.source_spec(),
        )
        saved, extra = _attempt(
            form,
            lambda: save_value(
                request.user, value_input, observation=observation, expected_version=data.get("version")
            ),
        )
        if saved is not None:
            if saved.status == Status.DRAFT:
                messages.success(
                    request, _("Valeur enregistrée comme brouillon : soumettez-la pour qu’elle soit relue.")
                )
            else:
                messages.success(request, _("Valeur enregistrée ; son état reste « %s ».") % saved.get_status_display())
            return redirect("contributions:item", kind="valeurs", pk=saved.pk)
    title = _("Corriger une valeur") if observation else _("Saisir une valeur")
    return render(
        request,
        "contributions/value_form.html",
        {
            "form": form,
            "programme": instance,
            "observation": observation,
            "title": title,
            "breadcrumb_data": crumbs(current=title),
            **extra,
        },
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@refuses
def initiative_form(request, programme: str, pk: int | None = None):
    instance = get_object_or_404(Programme, slug=programme)
    rights = Rights.of(request.user)
    initiative = None
    if pk is not None:
        initiative = get_object_or_404(Initiative, pk=pk, programme=instance)
    initial = {}
    if initiative is not None:
        initial = {
            "title": initiative.title,
            "body": initiative.body,
            "measures": list(initiative.measures.all()),
            "territories": " ; ".join(t.code for t in initiative.territories.all()),
            "start": format_partial_date(initiative.start_date, initiative.start_precision) or "",
            "version": initiative.version,
        }
    measures = Measure.objects.filter(pk__in=[m.pk for m in rights.scope_measures(instance)]).order_by("position")
    form = InitiativeForm(request.POST or None, initial=initial, measures=measures)
    extra = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        initiative_input = InitiativeInput.from_form(
            data, partners=list(initiative.partners.all()) if initiative else []
        )
        saved, extra = _attempt(
            form,
            lambda: save_initiative(
                request.user, instance, initiative_input, initiative=initiative, expected_version=data.get("version")
            ),
        )
        if saved is not None:
            messages.success(request, _("Initiative enregistrée."))
            return redirect("contributions:item", kind="initiatives", pk=saved.pk)
    title = _("Corriger une initiative") if initiative else _("Proposer une initiative locale")
    return render(
        request,
        "contributions/initiative_form.html",
        {
            "form": form,
            "programme": instance,
            "initiative": initiative,
            "title": title,
            "breadcrumb_data": crumbs(current=title),
            **extra,
        },
    )


def _item(kind: str, pk: int):
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    related = (
        ["indicator__measure__programme", "territory", "source__document"] if model is Observation else ["programme"]
    )
    return get_object_or_404(model.objects.select_related(*related), pk=pk)


def _programme_of(item) -> Programme:
    return item.programme if isinstance(item, Initiative) else item.indicator.measure.programme


def _may_see(rights: Rights, item) -> bool:
    programme = _programme_of(item)
    measures, territories = scope_of(item)
    return rights.can_review(programme.pk) or rights.can_write(programme.pk, measures, territories)


@login_required
def item(request, kind: str, pk: int):
    obj = _item(kind, pk)
    rights = Rights.of(request.user)
    if not _may_see(rights, obj):
        return refused(request, NotAllowed(_("Cet élément n’est pas dans votre périmètre.")))
    programme = _programme_of(obj)
    measures, territories = scope_of(obj)
    is_own = obj.entered_by_id == request.user.pk
    moves = [
        (to, verb)
        for to, verb in moves_from(obj.status)
        if rights.can_move(programme.pk, (obj.status, to), is_own, measures, territories)
    ]
    title = str(obj) if kind == "initiatives" else f"{obj.indicator.name} — {obj.territory.label}"
    return render(
        request,
        "contributions/item.html",
        {
            "kind": kind,
            "item": obj,
            "programme": programme,
            "moves": moves,
            "move_form": MoveForm(),
            "versions": history.versions(obj),
            "transitions": transitions_of(obj),
            "may_edit": _may_see(rights, obj),
            "suggestion": getattr(obj, "suggestion", None) if kind == "initiatives" else None,
            "title": title,
            "breadcrumb_data": crumbs(current=title),
        },
    )


@login_required
@require_POST
@refuses
def move_view(request, kind: str, pk: int):
    obj = _item(kind, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Demande incomplète."))
        return redirect("contributions:item", kind=kind, pk=pk)
    try:
        move(request.user, obj, form.cleaned_data["to_status"], form.cleaned_data["comment"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("État : %s.") % Status(obj.status).label)
    return redirect("contributions:item", kind=kind, pk=pk)


@login_required
@require_POST
@refuses
def restore_view(request, kind: str, pk: int):
    obj = _item(kind, pk)
    try:
        history_id = int(request.POST.get("history_id", ""))
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise Http404 from None
    if not obj.history.filter(history_id=history_id).exists():
        raise Http404
    try:
        history.restore(request.user, obj, history_id, expected_version=version)
    except Conflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Version restaurée : c’est une nouvelle modification, visible dans l’historique."))
    return redirect("contributions:item", kind=kind, pk=pk)


@login_required
def review_queue(request):
    rights = Rights.of(request.user)
    programmes = Programme.objects.order_by("name")
    if not rights.is_admin:
        programmes = programmes.filter(pk__in=[p for p in rights.programme_ids if rights.can_review(p)])
    programmes = list(programmes)
    if not programmes:
        return refused(request, NotAllowed(_("Seuls les relecteurs d’un programme ont une file de validation.")))
    status = request.GET.get("etat") if request.GET.get("etat") in Status.values else ""
    kind = request.GET.get("type") if request.GET.get("type") in KINDS else ""
    chosen = [p for p in programmes if p.slug == request.GET.get("programme")] or programmes
    territory = None
    if request.GET.get("territoire"):
        try:
            territory = resolve(request.GET["territoire"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    statuses = [status] if status else list(AWAITING_REVIEW)
    rows = []
    if kind in ("", "valeurs"):
        values = Observation.objects.filter(status__in=statuses, indicator__measure__programme__in=chosen)
        if territory is not None:
            values = values.filter(territory__in=[territory, *territory.__class__.objects.within(territory)])
        for o in values.select_related("indicator__measure__programme", "territory", "entered_by").order_by("-pk")[
            :500
        ]:
            rows.append(("valeurs", o, f"{o.indicator.name} — {o.territory.label}", o.indicator.measure.programme))
    if kind in ("", "initiatives"):
        initiatives = Initiative.objects.filter(status__in=statuses, programme__in=chosen)
        if territory is not None:
            initiatives = initiatives.in_territory(territory)
        for i in initiatives.select_related("programme", "entered_by").order_by("-pk")[:500]:
            rows.append(("initiatives", i, i.title, i.programme))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "contributions/review.html",
        {
            "page": page,
            "programmes": programmes,
            "statuses": Status.choices,
            "filters": {
                "etat": status,
                "type": kind,
                "programme": request.GET.get("programme", ""),
                "territoire": request.GET.get("territoire", ""),
            },
            "querystring": querystring,
            "title": _("File de validation"),
            "breadcrumb_data": crumbs(current=_("File de validation")),
        },
    )


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and request.POST.get("revoke"):
        ApiToken.objects.filter(user=request.user, pk=request.POST["revoke"]).update(revoked_at=timezone.now())
        messages.success(request, _("Jeton révoqué."))
        return redirect("contributions:tokens")
    if request.method == "POST" and form.is_valid():
        _token, new_key = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "contributions/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
            "title": _("Jetons d’API"),
            "breadcrumb_data": crumbs(current=_("Jetons d’API")),
        },
    )


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def suggest(request):
    """The public form: anyone suggests a local initiative; it waits for a reviewer."""
    programme = home_programme()
    if programme is None:
        raise Http404(_("Aucun programme publié."))
    measures = Measure.objects.public().filter(programme=programme).order_by("position")
    form = SuggestionForm(request.POST or None, measures=measures)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            # A robot: answer as if it worked, write nothing.
            return redirect(reverse("contributions:suggest") + "?merci=1")
        key = f"suggestions:{_client_address(request)}"
        count = cache.get(key, 0)
        if count >= settings.SUGGESTION_RATE_PER_HOUR:
            form.add_error(None, _("Trop de suggestions envoyées depuis votre connexion : réessayez dans une heure."))
            return render(request, "contributions/suggest.html", _suggest_context(form), status=429)
        data = form.cleaned_data
        suggest_initiative(
            programme,
            InitiativeInput(
                title=data["title"], body=data["body"], measures=[data["measure"]], territories=[data["place"]]
            ),
            name=data["name"],
            email=data["email"],
        )
        cache.set(key, count + 1, 3600)
        return redirect(reverse("contributions:suggest") + "?merci=1")
    return render(request, "contributions/suggest.html", _suggest_context(form, thanks=request.GET.get("merci") == "1"))


def _suggest_context(form, thanks: bool = False) -> dict:
    title = _("Suggérer une initiative locale")
    return {"form": form, "thanks": thanks, "title": title, "breadcrumb_data": {"links": [], "current": title}}
