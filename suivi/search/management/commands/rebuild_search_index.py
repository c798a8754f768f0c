from django.core.management.base import BaseCommand

from suivi.search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index of every programme and of the territories."

    def handle(self, *args, **options):
        counts = rebuild()
        self.stdout.write(self.style.SUCCESS("Indexed " + ", ".join(f"{k}: {n}" for k, n in counts.items())))
