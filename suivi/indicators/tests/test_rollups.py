"""Roll-ups up the territory tree, computed when values change: sums, population-weighted means,
reported values winning over computed ones, EPCI through membership, and the consistency check."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from suivi.contributions.workflow import Status
from suivi.factories import IndicatorFactory, ObservationFactory, recorded
from suivi.indicators import rollups
from suivi.indicators.models import ComputedValue, Observation
from suivi.territories.models import Territory

DAY = datetime.date(2016, 12, 1)


def computed(indicator, code):
    value = ComputedValue.objects.filter(indicator=indicator, territory_id=code, date=DAY).first()
    return None if value is None else (value.value, value.children)


class RollupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.count = IndicatorFactory(slug="jeunes", unit="jeunes", aggregation="sum")
        cls.share = IndicatorFactory(slug="part", unit="%", aggregation="mean", measure=cls.count.measure)
        cls.flat = IndicatorFactory(slug="taux", unit="%", aggregation="none", measure=cls.count.measure)

    def value(self, indicator, code, value, status=Status.PUBLISHED):
        return ObservationFactory(indicator=indicator, territory_id=code, date=DAY, value=Decimal(value), status=status)

    def test_sums_go_up_from_communes_to_france_when_values_are_written(self):
        self.value(self.count, "com:36044", 10)  # Châteauroux
        self.value(self.count, "com:36063", 5)  # Déols
        self.value(self.count, "com:18033", 7)  # Bourges
        self.value(self.count, "com:75056", 1, status=Status.SUBMITTED)  # not published: not counted
        self.assertEqual(computed(self.count, "dep:36"), (15, 2))
        self.assertEqual(computed(self.count, "dep:18"), (7, 1))
        self.assertEqual(computed(self.count, "reg:24"), (22, 2))
        self.assertEqual(computed(self.count, "fr"), (22, 1))
        self.assertIsNone(computed(self.count, "dep:75"))
        value = ComputedValue.objects.get(indicator=self.count, territory_id="dep:36", date=DAY)
        self.assertEqual(
            value.children_expected, Territory.objects.filter(level="com", departement_id="dep:36").count()
        )
        self.assertFalse(value.complete)
        epci = Territory.objects.get(code="com:36044").epcis.get()
        self.assertIn(Territory.objects.get(code="com:36063"), epci.members.all())
        self.assertEqual(computed(self.count, epci.code), (15, 2))

    def test_a_reported_value_wins_and_both_stay_visible(self):
        self.value(self.count, "com:36044", 10)
        self.value(self.count, "com:18033", 7)
        self.value(self.count, "dep:36", 20)  # the préfecture's own figure
        self.assertEqual(computed(self.count, "dep:36"), (10, 1))  # still there, beside the reported 20
        self.assertEqual(computed(self.count, "reg:24"), (27, 2))  # 20 (reported) + 7 (computed)
        response = self.client.get("/territoires/dep-36/")
        self.assertContains(response, "calculé :")
        out = io.StringIO()
        call_command("check_consistency", "--tolerance", "0.05", stdout=out)
        self.assertIn("jeunes dep:36 2016-12-01: published 20, sum of 1/", out.getvalue())
        self.assertIn("1 disagreement(s) beyond 5.00 %", out.getvalue())

    def test_a_share_is_a_mean_weighted_by_population_and_a_flat_rate_is_not_rolled_up(self):
        chateauroux, deols = Territory.objects.filter(code__in=["com:36044", "com:36063"]).order_by("code")
        self.value(self.share, chateauroux.code, 10)
        self.value(self.share, deols.code, 40)
        expected = (10 * chateauroux.population + 40 * deols.population) / Decimal(
            chateauroux.population + deols.population
        )
        self.assertEqual(computed(self.share, "dep:36"), (expected.quantize(Decimal("0.0001")), 2))
        self.value(self.flat, chateauroux.code, 10)
        self.assertFalse(ComputedValue.objects.filter(indicator=self.flat).exists())

    def test_a_withdrawn_value_leaves_the_roll_up(self):
        kept = self.value(self.count, "com:36044", 10)
        self.value(self.count, "com:36063", 5)
        with recorded():
            Observation.objects.filter(pk=kept.pk).update(status=Status.WITHDRAWN)
            kept.refresh_from_db()
            kept.save()
        self.assertEqual(computed(self.count, "dep:36"), (5, 1))

    def test_a_change_set_reads_each_indicator_and_date_once_not_each_value(self):
        """The history's default ordering (newest first) joined the DISTINCT of the (indicator,
        date) pairs: an import of ten million values read back ten million rows to find 288."""
        with recorded() as record:
            for code in ("com:36044", "com:36063", "com:18033"):
                ObservationFactory.build(indicator=self.count, territory_id=code, date=DAY, value=1).save()
        history = Observation.history.model._meta.db_table
        with CaptureQueriesContext(connection) as queries:
            rollups.recompute_changed(record.change_set)
        pairs = [q["sql"] for q in queries if "DISTINCT" in q["sql"] and history in q["sql"]]
        self.assertEqual(len(pairs), 1)
        self.assertNotIn("history_date", pairs[0])
        self.assertEqual(computed(self.count, "reg:24"), (3, 2))

    def test_recompute_all_reads_each_date_once(self):
        for code in ("com:36044", "com:36063"):
            self.value(self.count, code, 2)
        observations = Observation._meta.db_table
        with CaptureQueriesContext(connection) as queries:
            rollups.recompute_all()
        dates = [q["sql"] for q in queries if "DISTINCT" in q["sql"] and observations in q["sql"]]
        self.assertTrue(dates)
        self.assertTrue(all("ORDER BY" not in sql for sql in dates), dates)
        self.assertEqual(computed(self.count, "dep:36"), (4, 2))
