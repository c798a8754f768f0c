"""Public pages: what citizens, journalists and elected officials read."""

from django.db.models import Count, Q
from django.shortcuts import render

from suivi.catalogue.models import Programme


def home(request):
    programmes = (
        Programme.objects.published()
        .annotate(
            axis_count=Count("axes", distinct=True),
            measure_count=Count("measures", filter=Q(measures__is_published=True), distinct=True),
        )
        .order_by("name")
    )
    return render(request, "publication/home.html", {"programmes": programmes})
