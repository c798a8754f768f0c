"""Accounts' roles and API tokens (administrators), and read-only views of the record."""

from django.contrib import admin
from dsfr.models import DsfrConfig

from suivi.contributions.models import ApiToken, Role, Suggestion, Transition
from suivi.contributions.rights import Rights
from suivi.indicators.models import Observation
from suivi.initiatives.models import Initiative
from suivi.sources.models import ChangeSet


class AdministratorsOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return Rights.of_request(request).is_admin

    has_view_permission = has_change_permission = has_add_permission = lambda self, request, obj=None: (
        Rights.of_request(request).is_admin
    )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Role)
class RoleAdmin(AdministratorsOnly):
    list_display = ["user", "kind", "programme", "label"]
    list_filter = ["kind", "programme"]
    autocomplete_fields = ["territories"]
    filter_horizontal = ["measures"]


@admin.register(ApiToken)
class ApiTokenAdmin(AdministratorsOnly):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # made in the contributor space, where the key is shown once


class ReadOnly(AdministratorsOnly):
    """The record as it stands; changes go through the contributor space and its workflow."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ChangeSet)
class ChangeSetAdmin(ReadOnly):
    list_display = ["created_at", "origin", "author", "programme_slug", "reason"]
    list_filter = ["origin", "programme_slug"]


@admin.register(Transition)
class TransitionAdmin(ReadOnly):
    list_display = ["at", "content_type", "object_id", "from_status", "to_status", "actor"]


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnly):
    list_display = ["created_at", "name", "initiative"]


@admin.register(Observation)
class ObservationAdmin(ReadOnly):
    list_display = ["indicator", "territory", "date", "value", "status"]
    list_filter = ["status", "indicator__measure__programme"]
    raw_id_fields = ["indicator", "territory", "source", "entered_by"]


@admin.register(Initiative)
class InitiativeAdmin(ReadOnly):
    list_display = ["title", "programme", "status"]
    list_filter = ["status", "programme"]
    search_fields = ["title"]


# django-dsfr's site settings are fixed in code (``suivi.ui.context_processors``): its admin would edit nothing.
admin.site.unregister(DsfrConfig)
