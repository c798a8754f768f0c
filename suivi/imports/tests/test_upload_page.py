"""The upload page: a contributor deposits a file, a background worker checks it, the page
shows the errors or the preview, the import is confirmed and runs in the background too."""

from __future__ import annotations

import io
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase

from suivi.contributions.models import RoleKind
from suivi.contributions.workflow import Status
from suivi.factories import IndicatorFactory, RoleFactory, UserFactory
from suivi.imports.models import ImportJob, JobState
from suivi.indicators.models import Observation


def work() -> None:
    """What `manage.py db_worker` does in production: run every queued task, then stop.

    The worker drops connections it finds inside a transaction; a TestCase runs inside one, so
    that check is switched off here (the worker is otherwise the real one, on the real queue)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())


class UploadPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.indicator = IndicatorFactory(slug="jeunes-accompagnes", unit="jeunes", measure__slug="garantie")
        cls.programme = cls.indicator.measure.programme
        cls.prefecture = UserFactory(username="prefecture-indre")
        RoleFactory(user=cls.prefecture, programme=cls.programme, territories=["dep:36"])
        cls.team = UserFactory(username="equipe")
        RoleFactory(user=cls.team, kind=RoleKind.REVIEWER, programme=cls.programme)

    def deposit(self, text: str, user=None, **extra):
        self.client.force_login(user or self.prefecture)
        upload = SimpleUploadedFile("valeurs.csv", text.encode("utf-8"), content_type="text/csv")
        response = self.client.post(f"/espace/{self.programme.slug}/imports/", {"file": upload, **extra})
        self.assertEqual(response.status_code, 302, response.content.decode()[-2000:])
        return ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1]), response["Location"]

    def test_errors_are_shown_line_by_line_and_nothing_is_written(self):
        _job, url = self.deposit("indicateur;territoire;date;valeur\njeunes-accompagnes;Bourges;2016;12\n")
        page = self.client.get(url).content.decode()
        self.assertIn('http-equiv="refresh"', page)  # queued: the page follows the work without JavaScript
        work()
        response = self.client.get(url)
        self.assertNotContains(response, 'http-equiv="refresh"')
        self.assertContains(response, "1 erreur : rien n’a été importé.")
        self.assertContains(response, "<td>2</td><td>territoire</td>", html=False)
        self.assertContains(
            response, "vous n’avez pas le droit d’écrire « jeunes-accompagnes » pour Bourges (com:18033)"
        )
        self.assertFalse(Observation.objects.exists())

    def test_preview_then_import_then_the_values_wait_for_review(self):
        text = (
            "indicateur;territoire;date;valeur\n"
            "jeunes-accompagnes;Châteauroux;12/2016;1 675\njeunes-accompagnes;dep:36;2016;4 200\n"
        )
        job, url = self.deposit(text)
        work()
        response = self.client.get(url)
        self.assertContains(response, "Nouvelles valeurs : 2")
        self.assertContains(response, "Importer ces valeurs")
        self.assertFalse(Observation.objects.exists())  # a preview writes nothing
        self.client.post(f"/espace/imports/{job.pk}/importer/")
        work()
        job.refresh_from_db()
        self.assertEqual(job.state, JobState.DONE)
        self.assertEqual(
            sorted(Observation.objects.values_list("territory_id", "value", "status")),
            [("com:36044", 1675, Status.SUBMITTED), ("dep:36", 4200, Status.SUBMITTED)],
        )
        self.assertContains(self.client.get(url), "en un seul lot de modifications")

    def test_only_the_team_publishes_and_may_revert(self):
        self.client.force_login(self.prefecture)
        upload = SimpleUploadedFile(
            "valeurs.csv", b"indicateur,territoire,date,valeur\njeunes-accompagnes,dep:36,2016,1\n"
        )
        response = self.client.post(f"/espace/{self.programme.slug}/imports/", {"file": upload, "publish": "on"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Seule l’équipe du programme peut publier directement.")
        job, url = self.deposit(
            "indicateur,territoire,date,valeur\njeunes-accompagnes,dep:18,2016,1\n", user=self.team, publish="on"
        )
        work()
        self.client.post(f"/espace/imports/{job.pk}/importer/")
        work()
        self.assertEqual(Observation.objects.get().status, Status.PUBLISHED)
        self.assertContains(self.client.get(url), "Annuler cet import")
        self.client.post(f"/espace/imports/{job.pk}/annuler/")
        self.assertEqual(Observation.objects.get().status, Status.WITHDRAWN)
        self.client.force_login(self.prefecture)
        self.assertEqual(self.client.get(url).status_code, 404)  # someone else's import

    def test_the_template_lists_the_writers_indicators(self):
        self.client.force_login(self.prefecture)
        response = self.client.get(f"/espace/{self.programme.slug}/imports/modele.csv")
        lines = response.content.decode("utf-8-sig").splitlines()
        self.assertEqual(lines[0], "indicateur;territoire;date;valeur;unite;qualificatif;statut;source;commentaire")
        self.assertTrue(lines[1].startswith("jeunes-accompagnes;;;;jeunes;"))
