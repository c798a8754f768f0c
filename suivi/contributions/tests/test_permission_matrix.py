"""Every role × every write path × in scope / out of scope.

A refused write answers 403 (or its command error) and leaves the database exactly as it
was: the full export of both programmes, every value's and initiative's version and
status, and the number of change sets are compared before and after.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.test import TestCase

from suivi.catalogue.interchange.exporting import dumps, export_programme
from suivi.catalogue.interchange.loading import load_programme_file
from suivi.catalogue.models import Measure, Programme
from suivi.contributions.models import ApiToken, RoleKind
from suivi.contributions.rights import NotAllowed
from suivi.factories import IndicatorFactory, ObservationFactory, RoleFactory, UserFactory
from suivi.indicators.models import Observation
from suivi.initiatives.models import Initiative
from suivi.sources.models import ChangeSet

ROLES = ["admin", "editor", "reviewer", "prefecture", "ministry", "nobody"]
PATHS = ["page_value", "page_initiative", "api_value", "api_initiative", "admin", "loader"]

# Who may write in scope (out of scope, only administrators may).
ALLOWED_IN_SCOPE = {
    "admin": set(PATHS),
    "editor": set(PATHS),
    "reviewer": {"page_value", "page_initiative", "api_value", "api_initiative"},
    "prefecture": {"page_value", "page_initiative", "api_value", "api_initiative"},
    "ministry": {"page_value", "page_initiative", "api_value", "api_initiative"},
    "nobody": set(),
}


class PermissionMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.indicator = IndicatorFactory(measure__slug="orchestres", measure__axis__programme__slug="p")
        cls.programme = cls.indicator.measure.programme
        cls.measure = cls.indicator.measure
        cls.ministry_indicator = IndicatorFactory(measure__axis=cls.measure.axis, measure__slug="stages")
        cls.ministry_measure = cls.ministry_indicator.measure
        cls.other_indicator = IndicatorFactory(measure__slug="ailleurs", measure__axis__programme__slug="q")
        cls.other_programme = cls.other_indicator.measure.programme
        cls.value = ObservationFactory(indicator=cls.indicator, territory_id="com:36044", value=Decimal(3))
        cls.users = {}
        for name in ROLES:
            cls.users[name] = UserFactory(username=name, is_staff=True)
        RoleFactory(user=cls.users["admin"], kind=RoleKind.ADMINISTRATOR, programme=None)
        RoleFactory(user=cls.users["editor"], kind=RoleKind.EDITOR, programme=cls.programme)
        RoleFactory(user=cls.users["reviewer"], kind=RoleKind.REVIEWER, programme=cls.programme)
        RoleFactory(
            user=cls.users["prefecture"],
            programme=cls.programme,
            measures=[cls.measure, cls.ministry_measure],
            territories=["dep:36"],
        )
        RoleFactory(user=cls.users["ministry"], programme=cls.programme, measures=[cls.ministry_measure])
        cls.keys = {name: ApiToken.issue(user, "test")[1] for name, user in cls.users.items()}

    # What each role may touch when "in scope", and a place and measure outside.

    def target(self, role: str, in_scope: bool) -> dict:
        if not in_scope:
            return {"indicator": self.other_indicator, "territory": "com:13055", "programme": self.other_programme}
        indicator = self.ministry_indicator if role == "ministry" else self.indicator
        territory = "com:36044" if role == "prefecture" else "com:13055"
        return {"indicator": indicator, "territory": territory, "programme": self.programme}

    def snapshot(self) -> str:
        state = {
            "exports": [dumps(export_programme(p)) for p in Programme.objects.order_by("slug")],
            "values": list(Observation.objects.order_by("pk").values_list("pk", "version", "status", "value")),
            "initiatives": list(Initiative.objects.order_by("pk").values_list("pk", "version", "status", "title")),
            "change_sets": ChangeSet.objects.count(),
        }
        return json.dumps(state, default=str)

    # One function per write path; each returns True when the write went through.

    def page_value(self, role, target) -> bool:
        self.client.force_login(self.users[role])
        url = f"/espace/{target['programme'].slug}/valeurs/nouvelle/"
        response = self.client.post(
            url,
            {"indicator": target["indicator"].pk, "territory": target["territory"], "date": "2017", "value": "7"},
        )
        # A contributor's form only offers its own indicators: an outside one is refused by the form.
        if response.status_code == 200:
            self.assertContains(response, 'class="errorlist"')
        return response.status_code == 302

    def page_initiative(self, role, target) -> bool:
        self.client.force_login(self.users[role])
        url = f"/espace/{target['programme'].slug}/initiatives/nouvelle/"
        response = self.client.post(
            url,
            {
                "title": "Un orchestre à l’école",
                "body": "Des enfants jouent.",
                "measures": [target["indicator"].measure_id],
                "territories": target["territory"],
            },
        )
        return response.status_code == 302

    def api(self, role, path, body) -> bool:
        response = self.client.post(
            f"/api/v1/{path}",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.keys[role]}"},
        )
        self.assertIn(response.status_code, (201, 403), response.content)
        return response.status_code == 201

    def api_value(self, role, target) -> bool:
        indicator = target["indicator"]
        key = f"{indicator.measure.programme.slug}/{indicator.measure.slug}/{indicator.slug}"
        return self.api(
            role, "observations", {"indicator": key, "territory": target["territory"], "date": "2017", "value": 7}
        )

    def api_initiative(self, role, target) -> bool:
        body = {
            "programme": target["programme"].slug,
            "title": "Un orchestre à l’école",
            "body": "Des enfants jouent.",
            "measures": [target["indicator"].measure.slug],
            "territories": [target["territory"]],
        }
        return self.api(role, "initiatives", body)

    def admin(self, role, target) -> bool:
        self.client.force_login(self.users[role])
        measure = target["indicator"].measure
        data = {
            "axis": measure.axis_id,
            "programme": measure.programme_id,
            "slug": measure.slug,
            "position": measure.position,
            "title": "Titre changé dans l’administration",
            "summary": measure.summary,
            "status": measure.status,
            "themes": "[]",
            "is_published": "on",
        }
        response = self.client.post(f"/admin/catalogue/measure/{measure.pk}/change/", data)
        self.assertIn(response.status_code, (302, 403), response.content[:2000])
        return Measure.objects.get(pk=measure.pk).title == "Titre changé dans l’administration"

    def loader(self, role, target) -> bool:
        document = export_programme(target["programme"])
        document["documents"] = [{"slug": "note", "title": "Note de suivi", "url": "https://example.org/note"}]
        for measure in document["measures"]:
            measure["source"] = {"document": "note", "page": 1, "quote": "Une mesure de test."}
        document["measures"][0]["title"] = "Titre changé par le document"
        path = self.tmp / f"{role}.json"
        path.write_text(dumps(document), encoding="utf-8")
        try:
            load_programme_file(path, actor=self.users[role])
        except NotAllowed:
            return False
        return True

    def setUp(self):
        import tempfile
        from pathlib import Path

        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = Path(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()


def _make_test(role: str, path: str, in_scope: bool):
    expected = path in ALLOWED_IN_SCOPE[role] if in_scope else role == "admin"

    def test(self):
        before = self.snapshot()
        done = getattr(self, path)(role, self.target(role, in_scope))
        self.assertEqual(done, expected, f"{role} via {path}, {'in' if in_scope else 'out of'} scope")
        if expected:
            self.assertNotEqual(self.snapshot(), before, "an allowed write changed nothing")
        else:
            self.assertEqual(self.snapshot(), before, "a refused write changed the database")

    scope = "in_scope" if in_scope else "out_of_scope"
    verb = "may" if expected else "may_not"
    test.__name__ = f"test_{role}_{verb}_write_via_{path}_{scope}"
    return test


for _role in ROLES:
    for _path in PATHS:
        for _in_scope in (True, False):
            _test = _make_test(_role, _path, _in_scope)
            setattr(PermissionMatrixTests, _test.__name__, _test)
