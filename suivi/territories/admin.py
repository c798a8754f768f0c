from django.contrib import admin

from suivi.territories.models import Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    """Read-only: territories are reference data loaded by `load_territories`."""

    list_display = ["code", "name", "level", "parent", "population", "current"]
    list_filter = ["level", "zone", "current"]
    search_fields = ["code", "name_folded"]
    list_select_related = ["parent"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
