"""Who may write what: the one place that decides, for pages, API, imports, admin and loader alike.

Rights come from ``Role`` rows. An administrator may do everything. For one programme:
an editor keeps its catalogue (programme, axes, measures, indicators) and may write its
values and initiatives; a reviewer moves items through the workflow and may correct
them; a contributor writes values and initiatives inside its scope (measures,
territories) and submits them. Nobody else writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _

from suivi.contributions.models import Role, RoleKind
from suivi.contributions.workflow import REVIEW_MOVES
from suivi.territories.models import Level, Territory


class Action(StrEnum):
    EDIT_CATALOGUE = "edit_catalogue"  # programme, axes, decisions, measures, indicators
    LOAD_DOCUMENT = "load_document"  # a whole programme document
    WRITE = "write"  # a value or an initiative, in scope
    REVIEW = "review"  # validate, publish, send back, withdraw
    MANAGE_USERS = "manage_users"


class NotAllowed(PermissionError):
    """The writer has no right to this write; nothing was changed."""


def covers(scope: Territory, territory: Territory) -> bool:
    """Whether ``territory`` is ``scope`` or lies below it (a préfecture's département covers its communes)."""
    if scope.pk == territory.pk or scope.level == Level.COUNTRY:
        return True
    if scope.level == Level.REGION:
        return territory.region_id == scope.pk
    if scope.level in (Level.DEPARTEMENT, Level.OVERSEAS_COLLECTIVITY):
        return territory.departement_id == scope.pk
    if scope.level == Level.EPCI:
        members = set(scope.members.values_list("pk", flat=True))
        return territory.pk in members or territory.parent_id in members
    return territory.parent_id == scope.pk


@dataclass
class Rights:
    """A user's roles, read once per request; ask it questions."""

    user: object
    roles: list[Role] = field(default_factory=list)

    @classmethod
    def of(cls, user) -> Rights:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls(user, [])
        roles = list(Role.objects.filter(user=user).prefetch_related("measures", "territories"))
        return cls(user, roles)

    @classmethod
    def of_request(cls, request) -> Rights:
        """The request's user's rights, read once per request (an admin page asks dozens of times)."""
        rights = getattr(request, "_suivi_rights", None)
        if rights is None or rights.user is not request.user:
            rights = request._suivi_rights = cls.of(request.user)
        return rights

    @property
    def is_admin(self) -> bool:
        return any(r.kind == RoleKind.ADMINISTRATOR for r in self.roles)

    def kinds_in(self, programme_id: int | None) -> set[str]:
        return {r.kind for r in self.roles if r.programme_id == programme_id}

    @property
    def programme_ids(self) -> set[int]:
        return {r.programme_id for r in self.roles if r.programme_id}

    @property
    def anyone(self) -> bool:
        """Whether the user has any role at all (the contributor space is theirs)."""
        return bool(self.roles)

    def can_edit_catalogue(self, programme_id: int | None) -> bool:
        return self.is_admin or RoleKind.EDITOR in self.kinds_in(programme_id)

    def can_review(self, programme_id: int) -> bool:
        return self.is_admin or bool(self.kinds_in(programme_id) & {RoleKind.REVIEWER, RoleKind.EDITOR})

    def can_write(self, programme_id: int, measures: list, territories: list[Territory]) -> bool:
        """A value or an initiative of ``programme_id`` about ``measures`` (ids) in ``territories``."""
        if self.can_review(programme_id):
            return True
        for role in self.roles:
            if role.kind != RoleKind.CONTRIBUTOR or role.programme_id != programme_id:
                continue
            allowed_measures = {m.pk for m in role.measures.all()}
            if allowed_measures and not set(measures) <= allowed_measures:
                continue
            scopes = list(role.territories.all())
            if scopes and not all(any(covers(s, t) for s in scopes) for t in territories):
                continue
            return True
        return False

    def can_move(self, programme_id: int, move: tuple[str, str], is_own: bool, measures: list, territories) -> bool:
        """A workflow move: reviewers make them all; a contributor submits its own drafts in its scope."""
        if self.can_review(programme_id):
            return True
        return move not in REVIEW_MOVES and is_own and self.can_write(programme_id, measures, territories)

    def scope_measures(self, programme) -> list:
        """The measures a user may report on in ``programme`` (all when unrestricted)."""
        measures = programme.measures.order_by("position")
        if self.can_review(programme.pk):
            return list(measures)
        allowed: set[int] = set()
        for role in self.roles:
            if role.kind == RoleKind.CONTRIBUTOR and role.programme_id == programme.pk:
                ids = {m.pk for m in role.measures.all()}
                if not ids:
                    return list(measures)
                allowed |= ids
        return [m for m in measures if m.pk in allowed]

    def scope_territories(self, programme) -> list[Territory]:
        """The territories named in the user's roles for ``programme`` (France when unrestricted)."""
        if self.can_review(programme.pk):
            return list(Territory.objects.filter(pk="fr"))
        found: dict[str, Territory] = {}
        for role in self.roles:
            if role.kind == RoleKind.CONTRIBUTOR and role.programme_id == programme.pk:
                scopes = list(role.territories.all())
                if not scopes:
                    return list(Territory.objects.filter(pk="fr"))
                found.update({t.pk: t for t in scopes})
        return sorted(found.values(), key=lambda t: t.code)


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotAllowed(message or _("Vous n’avez pas le droit de faire cette modification."))
