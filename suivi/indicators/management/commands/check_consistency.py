"""List territories whose reported value and the roll-up of their children disagree."""

from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from suivi.catalogue.models import Programme
from suivi.indicators import rollups
from suivi.indicators.models import ComputedValue

METHODS = {"sum": "sum", "population": "population-weighted mean"}


class Command(BaseCommand):
    help = (
        "List (indicator, territory, date) where the published value and the sum or mean of the "
        "territory's children differ by more than --tolerance (relative, default 0.01 = 1 %)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", help="only this programme (slug)")
        parser.add_argument("--tolerance", default="0.01", help="relative gap allowed, e.g. 0.05 for 5 %%")
        parser.add_argument("--recompute", action="store_true", help="recompute every roll-up first")

    def handle(self, *args, programme, tolerance, recompute, **options):
        try:
            tolerance = Decimal(tolerance)
        except InvalidOperation:
            raise CommandError(f"--tolerance: {tolerance!r} is not a number (e.g. 0.01)") from None
        found = None
        if programme:
            found = Programme.objects.filter(slug=programme).first()
            if found is None:
                raise CommandError(f"No programme {programme!r}.")
        if recompute:
            count = rollups.recompute_all(found)
            self.stdout.write(f"{count} roll-up values recomputed.")
        checked = ComputedValue.objects.filter(indicator__measure__programme=found) if found else ComputedValue.objects
        gaps = 0
        for value, stated in rollups.discrepancies(found, tolerance):
            gaps += 1
            gap = (value.value - stated) / (abs(stated) or 1) * 100
            self.stdout.write(
                f"{value.indicator.measure.programme.slug}/{value.indicator.slug} {value.territory_id} "
                f"{value.date:%Y-%m-%d}: published {stated.normalize():f}, "
                f"{METHODS[value.method]} of {value.children}/{value.children_expected} children "
                f"{value.value.normalize():f} ({gap:+.1f} %)"
            )
        self.stdout.write(
            f"{gaps} disagreement(s) beyond {tolerance * 100:g} % among {checked.count()} computed values."
        )
