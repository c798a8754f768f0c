"""Accounts: email login, throttling (django-axes), ProConnect matching, API token storage, admin pages."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import TestCase, override_settings
from django.urls import reverse

from suivi.catalogue.models import Measure
from suivi.contributions.auth import ProConnectBackend, user_for_token
from suivi.contributions.models import ApiToken, RoleKind
from suivi.contributions.recording import UnrecordedWrite
from suivi.factories import IndicatorFactory, MeasureFactory, ObservationFactory, RoleFactory, UserFactory

PASSWORD = "mot-de-passe-de-test"


class LoginTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = UserFactory(username="ines", email="Ines.Prefecture@indre.gouv.fr")

    def login(self, email, password=PASSWORD):
        return self.client.post(reverse("contributions:login"), {"username": email, "password": password})

    def test_it_logs_in_by_email_whatever_its_case(self):
        response = self.login("ines.prefecture@INDRE.gouv.fr")
        self.assertRedirects(response, "/espace/", fetch_redirect_response=False)

    def test_a_wrong_password_says_so_in_french_and_logs_nobody_in(self):
        response = self.login("ines.prefecture@indre.gouv.fr", "mauvais")
        self.assertContains(response, "Adresse électronique ou mot de passe incorrect")
        self.assertNotIn("_auth_user_id", self.client.session)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_it_locks_an_address_out_after_repeated_failures_even_with_the_right_password(self):
        for _ in range(3):
            self.login("ines.prefecture@indre.gouv.fr", "mauvais")
        response = self.login("ines.prefecture@indre.gouv.fr")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Connexion bloquée pour un moment", status_code=429)
        self.assertContains(response, "pendant 15 minutes", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_contributor_space_asks_to_log_in(self):
        response = self.client.get("/espace/")
        self.assertRedirects(response, "/espace/connexion/?next=/espace/", fetch_redirect_response=False)


class ProConnectTests(TestCase):
    def test_it_matches_an_existing_active_account_by_email_and_creates_none(self):
        agent = UserFactory(username="agent", email="agent@interieur.gouv.fr")
        UserFactory(username="gone", email="gone@interieur.gouv.fr", is_active=False)
        backend = ProConnectBackend.__new__(ProConnectBackend)
        self.assertEqual(list(backend.filter_users_by_claims({"email": "AGENT@interieur.gouv.fr"})), [agent])
        self.assertEqual(list(backend.filter_users_by_claims({"email": "gone@interieur.gouv.fr"})), [])
        self.assertEqual(list(backend.filter_users_by_claims({})), [])


class TokenTests(TestCase):
    def test_only_a_digest_is_kept_and_the_key_finds_its_user(self):
        user = UserFactory()
        token, key = ApiToken.issue(user, "script")
        self.assertNotIn(key, str(ApiToken.objects.values_list().get(pk=token.pk)))
        self.assertEqual(user_for_token(key), user)
        self.assertIsNone(user_for_token(key + "x"))
        user.is_active = False
        user.save()
        self.assertIsNone(user_for_token(key))


class WritePathTests(TestCase):
    def test_a_write_around_the_services_is_refused(self):
        measure = MeasureFactory()
        measure.title = "Écrit directement"
        with pytest.raises(UnrecordedWrite):
            measure.save()

    def test_a_refused_write_leaves_no_change_set(self):
        from suivi.sources.models import ChangeSet

        observation = ObservationFactory()
        outsider = UserFactory()
        before = ChangeSet.objects.count()
        self.client.force_login(outsider)
        response = self.client.post(
            f"/espace/valeurs/{observation.pk}/etat/", {"to_status": "withdrawn", "comment": "x"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(ChangeSet.objects.count(), before)


class AdminPagesTests(TestCase):
    """Every admin page that exists loads for an administrator; editors see their programme only."""

    @classmethod
    def setUpTestData(cls):
        cls.indicator = IndicatorFactory()
        cls.other = IndicatorFactory()
        ObservationFactory(indicator=cls.indicator)
        cls.admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
        RoleFactory(user=cls.admin, kind=RoleKind.ADMINISTRATOR, programme=None)
        cls.editor = UserFactory(username="editor", is_staff=True)
        RoleFactory(user=cls.editor, kind=RoleKind.EDITOR, programme=cls.indicator.measure.programme)

    def test_every_admin_page_loads(self):
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        for model, model_admin in admin_site._registry.items():
            meta = model._meta
            base = f"/admin/{meta.app_label}/{meta.model_name}/"
            self.assertEqual(self.client.get(base).status_code, 200, base)
            if model_admin.has_add_permission(self.client.get(base).wsgi_request):
                self.assertEqual(self.client.get(base + "add/").status_code, 200, base + "add/")
            first = model.objects.order_by("pk").first()
            if first is not None:
                url = f"{base}{first.pk}/change/"
                self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_the_login_page_answers(self):
        self.assertEqual(self.client.get("/admin/login/").status_code, 200)

    def test_an_editor_sees_the_measures_of_its_programme_only_and_deletes_nothing(self):
        self.client.force_login(self.editor)
        page = self.client.get("/admin/catalogue/measure/").content.decode()
        self.assertIn(self.indicator.measure.title, page)
        self.assertNotIn(self.other.measure.title, page)
        mine = self.indicator.measure
        self.assertEqual(self.client.get(f"/admin/catalogue/measure/{mine.pk}/delete/").status_code, 403)
        self.assertTrue(Measure.objects.filter(pk=mine.pk).exists())
        self.assertEqual(self.client.get("/admin/contributions/role/").status_code, 403)


class AdminConflictTests(TestCase):
    def test_an_admin_save_after_someone_elses_is_refused_with_both_values(self):
        measure = MeasureFactory(title="Titre d’origine")
        editor = UserFactory(is_staff=True)
        RoleFactory(user=editor, kind=RoleKind.EDITOR, programme=measure.programme)
        self.client.force_login(editor)
        data = {
            "axis": measure.axis_id,
            "programme": measure.programme_id,
            "slug": measure.slug,
            "position": measure.position,
            "summary": measure.summary,
            "status": measure.status,
            "themes": "[]",
            "is_published": "on",
            "opened_version": measure.version,
        }
        url = f"/admin/catalogue/measure/{measure.pk}/change/"
        self.assertEqual(self.client.post(url, data | {"title": "Premier"}).status_code, 302)
        response = self.client.post(url, data | {"title": "Second"})
        self.assertContains(response, "modifié par quelqu’un d’autre")
        self.assertContains(response, "« Premier » enregistré, « Second » saisi")
        measure.refresh_from_db()
        self.assertEqual((measure.title, measure.version), ("Premier", 2))
