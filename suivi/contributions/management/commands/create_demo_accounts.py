"""Local demo accounts for `make run`: never in production (refused unless SUIVI_DEMO_ACCOUNTS)."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from suivi.catalogue.models import Programme
from suivi.contributions.models import Role, RoleKind
from suivi.territories.models import Territory

# (email, first name, last name, role, label, territories, measures)
DEMO = [
    ("admin@demo.suivi.local", "Alice", "Administratrice", RoleKind.ADMINISTRATOR, "", [], []),
    ("relecture@demo.suivi.local", "Romain", "Relecteur", RoleKind.REVIEWER, "Équipe du programme", [], []),
    (
        "prefecture-indre@demo.suivi.local",
        "Inès",
        "Préfecture",
        RoleKind.CONTRIBUTOR,
        "Préfecture de l’Indre",
        ["dep:36"],
        [],
    ),
]


class Command(BaseCommand):
    help = "Create the local demo accounts (embedded database only) and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--programme", default=settings.SUIVI_HOME_PROGRAMME)

    def handle(self, *args, programme: str, verbosity: int, **options):
        if not settings.SUIVI_DEMO_ACCOUNTS:
            raise CommandError("Demo accounts are for the embedded database only (SUIVI_DEMO_ACCOUNTS is off).")
        instance = Programme.objects.filter(slug=programme).first()
        if instance is None:
            raise CommandError(f"No programme {programme!r}: load it first.")
        password = self.password()
        User = get_user_model()
        for email, first, last, kind, label, territories, _measures in DEMO:
            user = User.objects.filter(username=email).first()
            if user is None:
                user = User.objects.create_user(email, email, password, first_name=first, last_name=last)
            if kind == RoleKind.ADMINISTRATOR:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            role, _ = Role.objects.get_or_create(
                user=user, kind=kind, programme=None if kind == RoleKind.ADMINISTRATOR else instance, label=label
            )
            if territories:
                role.territories.set(Territory.objects.filter(code__in=territories))
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS("Demo accounts (this machine only), password: " + password))
            for email, _first, _last, kind, label, _territories, _measures in DEMO:
                self.stdout.write(f"  {email} — {kind.label}" + (f", {label}" if label else ""))
            port = os.environ.get("PORT", "8000")
            self.stdout.write(f"Log in at http://127.0.0.1:{port}/espace/connexion/")

    @staticmethod
    def password() -> str:
        path = Path(settings.VAR_DIR) / "demo_password"
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        value = "demo-" + secrets.token_urlsafe(9)
        path.write_text(value)
        path.chmod(0o600)
        return value
