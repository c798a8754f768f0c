"""The Django admin for the programme team: every save goes through the catalogue service and its rights."""

from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from suivi.catalogue.models import Axis, Decision, Measure, Programme
from suivi.catalogue.services import may_edit, save_catalogue_object
from suivi.contributions.recording import change
from suivi.contributions.rights import Rights
from suivi.contributions.services import Conflict, check_version
from suivi.indicators.models import Indicator
from suivi.sources.models import Origin


class CatalogueAdmin(SimpleHistoryAdmin):
    """Editors of a programme see and change its catalogue; nothing is ever deleted from here."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request):
        rights = Rights.of_request(request)
        return rights.is_admin or any(rights.can_edit_catalogue(p) for p in rights.programme_ids)

    def has_view_permission(self, request, obj=None):
        return (
            self.has_module_permission(request)
            if obj is None
            else may_edit(request.user, obj, Rights.of_request(request))
        )

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        rights = Rights.of_request(request)
        queryset = super().get_queryset(request)
        if rights.is_admin:
            return queryset
        editable = [p for p in rights.programme_ids if rights.can_edit_catalogue(p)]
        return queryset.filter(**{self.programme_lookup: editable})

    programme_lookup = "programme__in"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # One recorded change for the object and its many-to-many fields (saved after it).
        if request.method == "POST":
            with change(request.user, Origin.ADMIN, "Modification dans l’administration"):
                return super().changeform_view(request, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        save_catalogue_object(request.user, obj, origin=Origin.ADMIN)


@admin.register(Programme)
class ProgrammeAdmin(CatalogueAdmin):
    list_display = ["name", "slug", "is_published"]
    programme_lookup = "pk__in"

    def has_add_permission(self, request):
        return Rights.of_request(request).is_admin


@admin.register(Axis)
class AxisAdmin(CatalogueAdmin):
    list_display = ["name", "programme", "position"]
    list_filter = ["programme"]


@admin.register(Decision)
class DecisionAdmin(CatalogueAdmin):
    list_display = ["name", "programme", "date"]
    list_filter = ["programme"]
    autocomplete_fields = ["territory"]  # not a select of 45,000 territories


class VersionedForm(forms.ModelForm):
    """Carries the version the editor opened; a save after someone else's is refused with both values."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        opened = data.get("opened_version")
        if self.instance.pk and opened is not None:
            saved = type(self.instance).objects.get(pk=self.instance.pk)
            try:
                fields = {k: v for k, v in data.items() if k in self.changed_data and k != "opened_version"}
                check_version(saved, opened, fields)
            except Conflict as exc:
                lines = "; ".join(f"{f.label} : « {f.theirs} » enregistré, « {f.yours} » saisi" for f in exc.fields)
                raise forms.ValidationError(f"{exc} {lines}") from None
        return data


@admin.register(Measure)
class MeasureAdmin(CatalogueAdmin):
    form = VersionedForm
    list_display = ["title", "programme", "axis", "status", "is_published"]
    list_filter = ["programme", "axis", "status", "is_published"]
    search_fields = ["title", "slug"]
    raw_id_fields = ["owner", "source"]
    filter_horizontal = ["decisions", "partners"]


@admin.register(Indicator)
class IndicatorAdmin(CatalogueAdmin):
    list_display = ["name", "measure", "unit", "is_headline"]
    list_filter = ["measure__programme"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["baseline_source", "target_source"]
    programme_lookup = "measure__programme__in"
