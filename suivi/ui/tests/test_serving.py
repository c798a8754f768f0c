"""What every response carries in production, and the health checks a load balancer calls."""

from __future__ import annotations

from unittest import mock

from django.db.utils import OperationalError
from django.test import TestCase


class SecurityHeadersTests(TestCase):
    def assert_protected(self, response):
        policy = response["Content-Security-Policy"]
        self.assertIn("default-src 'self'", policy)
        self.assertIn("script-src 'self'", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertNotIn("unsafe", policy)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "strict-origin-when-cross-origin")
        self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")

    def test_pages_carry_the_security_headers_whether_cached_or_not(self):
        first = self.client.get("/plan-du-site/")
        self.assertEqual(first["X-Suivi-Cache"], "miss")
        self.assert_protected(first)
        second = self.client.get("/plan-du-site/")
        self.assertEqual(second["X-Suivi-Cache"], "hit")
        self.assert_protected(second)
        self.assertEqual(int(second["Content-Length"]), len(second.content))

    def test_the_api_carries_them_too(self):
        self.assert_protected(self.client.get("/api/v1/programmes"))


class HealthTests(TestCase):
    def test_alive_answers_without_the_database(self):
        with self.assertNumQueries(0):
            response = self.client.get("/sante/")
        self.assertEqual(response.content, b"ok")
        self.assertNotIn("X-Suivi-Cache", response)

    def test_ready_checks_the_database_and_the_cache(self):
        response = self.client.get("/sante/pret/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"database": "ok", "cache": "ok"})

    def test_ready_says_what_is_down(self):
        with mock.patch("suivi.ui.health.connection.cursor", side_effect=OperationalError("connection refused")):
            response = self.client.get("/sante/pret/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["database"], "indisponible : OperationalError")


class DatabaseDownTests(TestCase):
    """What a visitor sees when the database cannot be reached (the real outage is in test_faults.py)."""

    def test_a_page_answers_a_dsfr_503_not_a_trace(self):
        with mock.patch("suivi.ui.urls.Page.get_context_data", side_effect=OperationalError("connection refused")):
            response = self.client.get("/plan-du-site/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertContains(response, "Service momentanément indisponible", status_code=503)
        self.assertContains(response, "/static/dsfr/dist/dsfr/dsfr.min.css", status_code=503)
        self.assertNotContains(response, "Traceback", status_code=503)
        self.assertNotContains(response, "connection refused", status_code=503)

    def test_the_api_answers_a_json_503(self):
        with mock.patch("suivi.api.endpoints.Programme.objects.public", side_effect=OperationalError("down")):
            response = self.client.get("/api/v1/programmes")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["error"]["status"], 503)

    def test_a_page_in_the_cache_is_still_served(self):
        self.client.get("/plan-du-site/")
        with mock.patch("suivi.ui.urls.Page.get_context_data", side_effect=OperationalError("connection refused")):
            response = self.client.get("/plan-du-site/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Suivi-Cache"], "hit")
