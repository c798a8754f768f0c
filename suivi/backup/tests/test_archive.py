"""Backups, read back in the test's own database (both engines): what the file holds, and the
restores that must be refused before anything is written."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from suivi.backup import archive
from suivi.factories import InitiativeFactory, ObservationFactory
from suivi.indicators.models import Observation
from suivi.territories.models import Territory


def read(path: Path) -> list:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


class BackupFileTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.value = ObservationFactory()
        InitiativeFactory(programme=cls.value.indicator.measure.programme, territories=["com:36044"])

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        self.path = self.folder / "sauvegarde.jsonl.gz"

    def test_a_backup_holds_every_row_of_every_table_with_its_ids(self):
        call_command("backup", str(self.path), verbosity=0)
        lines = read(self.path)
        header, end = lines[0], lines[-1]
        self.assertEqual(header["format"], "suivi-backup/1")
        self.assertIn(["indicators", "0001_initial"], header["migrations"])
        self.assertEqual(end["counts"]["territories.territory"], Territory.objects.count())
        self.assertEqual(end["counts"]["indicators.observation"], 1)
        self.assertEqual(end["counts"]["indicators.historicalobservation"], Observation.history.count())
        at = next(
            i
            for i, line in enumerate(lines)
            if isinstance(line, dict) and line.get("table") == "indicators.observation"
        )
        block, row = lines[at], lines[at + 1]
        stored = dict(zip(block["columns"], row, strict=True))
        self.assertEqual(stored["id"], self.value.pk)
        self.assertEqual(stored["territory_id"], "fr")
        self.assertEqual(stored["value"], "100.0000")
        self.assertNotIn("sessions.session", end["counts"])
        self.assertEqual([p.name for p in self.folder.iterdir()], ["sauvegarde.jsonl.gz"])  # no temporary left

    def test_datetimes_keep_their_microseconds(self):
        call_command("backup", str(self.path), verbosity=0)
        lines = read(self.path)
        at = next(
            i for i, line in enumerate(lines) if isinstance(line, dict) and line.get("table") == "sources.changeset"
        )
        created = dict(zip(lines[at]["columns"], lines[at + 1], strict=True))["created_at"]
        self.assertRegex(created, r"T\d\d:\d\d:\d\d\.\d{6}\+00:00$")

    def test_a_restore_into_a_database_that_holds_data_is_refused(self):
        call_command("backup", str(self.path), verbosity=0)
        before = Observation.objects.count()
        with self.assertRaisesMessage(CommandError, "La base n’est pas vide (programme, territoire"):
            call_command("restore", str(self.path), verbosity=0)
        self.assertEqual(Observation.objects.count(), before)

    def test_a_file_that_is_not_a_backup_or_from_another_schema_is_refused(self):
        self.path.write_bytes(gzip.compress(b'{"format": "autre chose"}\n'))
        with self.assertRaisesMessage(CommandError, "ce n’est pas une sauvegarde Suivi"):
            call_command("restore", str(self.path), verbosity=0)
        header = {"format": archive.FORMAT, "migrations": [["indicators", "0099_future"]]}
        self.path.write_bytes(gzip.compress(json.dumps(header).encode() + b"\n"))
        with self.assertRaisesMessage(CommandError, "autre schéma de base") as raised:
            call_command("restore", str(self.path), verbosity=0)
        self.assertIn("indicators.0099_future", str(raised.exception))
        self.path.write_bytes(b"pas du gzip")
        with self.assertRaisesMessage(CommandError, "illisible ou tronqué"):
            call_command("restore", str(self.path), verbosity=0)
        with self.assertRaisesMessage(CommandError, "fichier introuvable"):
            call_command("restore", str(self.folder / "absent.jsonl.gz"), verbosity=0)
