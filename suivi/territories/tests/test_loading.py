import json
from collections import Counter

import pytest
from django.core.management import call_command

from suivi.territories.loading import TerritoryDataError, default_source_dir, load_territories
from suivi.territories.models import Level, Territory, TerritoryRelease

pytestmark = pytest.mark.django_db


def package_records(name: str) -> list[dict]:
    return json.loads((default_source_dir() / "data" / name).read_text())


def count(level: str) -> int:
    return Territory.objects.filter(level=level, current=True).count()


def test_it_loads_as_many_current_communes_as_the_package_lists():
    in_package = Counter(record["type"] for record in package_records("communes.json"))
    assert count(Level.COMMUNE) == in_package["commune-actuelle"] == 34969
    assert count(Level.DELEGATED_COMMUNE) == in_package["commune-deleguee"]
    assert count(Level.ASSOCIATED_COMMUNE) == in_package["commune-associee"]
    assert count(Level.MUNICIPAL_ARRONDISSEMENT) == in_package["arrondissement-municipal"] == 45


def test_it_loads_101_departements_18_regions_and_the_overseas_collectivities():
    overseas = {r["code"] for r in package_records("regions.json") if r["zone"] == "com"}
    assert count(Level.DEPARTEMENT) == 101
    assert count(Level.REGION) == 18
    assert set(Territory.objects.filter(level=Level.OVERSEAS_COLLECTIVITY).values_list("insee_code", flat=True)) == (
        overseas
    )
    assert len(overseas) == 8
    assert count(Level.EPCI) == len(package_records("epci.json")) == 1255
    assert Territory.objects.filter(level=Level.COUNTRY).count() == 1


def test_it_links_each_commune_to_its_departement_and_region():
    vernouillet = Territory.objects.get(code="com:28404")
    assert [t.code for t in vernouillet.ancestors()] == ["dep:28", "reg:24", "fr"]
    assert vernouillet.departement_id == "dep:28"
    assert vernouillet.region_id == "reg:24"
    assert Territory.objects.get(code="com:97410").ancestors()[0].name == "La Réunion"


def test_it_links_arrondissements_and_delegated_communes_to_their_commune():
    assert Territory.objects.get(code="arm:13201").parent_id == "com:13055"
    assert Territory.objects.get(code="arm:75101").parent_id == "com:75056"
    delegated = Territory.objects.get(code="comd:01015")
    assert delegated.parent_id == "com:01015"
    assert delegated.name == "Arbignieu"


def test_it_lists_the_member_communes_of_an_epci():
    record = package_records("epci.json")[0]
    epci = Territory.objects.get(code=f"epci:{record['code']}")
    assert {t.insee_code for t in epci.members.all()} == {m["code"] for m in record["membres"]}
    assert epci.departement_id == "dep:74"


def test_it_hangs_overseas_collectivity_communes_under_their_collectivity():
    commune = Territory.objects.filter(level=Level.COMMUNE, insee_code__startswith="987").first()
    assert commune.parent_id == "ctom:987"
    assert commune.region_id is None
    assert Territory.objects.get(code="ctom:987").parent_id == "fr"


def snapshot() -> tuple[list, list]:
    rows = list(Territory.objects.order_by("code").values())
    members = sorted(Territory.members.through.objects.values_list("from_territory_id", "to_territory_id"))
    return rows, members


def test_it_changes_nothing_when_run_again():
    before = snapshot()
    release = TerritoryRelease.objects.get()
    report = load_territories()
    assert not report.changed
    assert report.unchanged == Territory.objects.count()
    assert snapshot() == before
    assert TerritoryRelease.objects.get().loaded_at == release.loaded_at


def test_it_restores_a_row_that_was_changed_in_the_database():
    Territory.objects.filter(code="dep:36").update(name="Indre modifiée")
    report = load_territories()
    assert report.updated == 1
    assert Territory.objects.get(code="dep:36").name == "Indre"


def test_it_keeps_a_territory_the_package_no_longer_lists_but_marks_it_retired():
    Territory.objects.create(
        code="com:36999", level=Level.COMMUNE, insee_code="36999", name="Ancienne", parent_id="dep:36"
    )
    report = load_territories()
    assert report.retired == 1
    assert Territory.objects.get(code="com:36999").current is False


def test_it_names_the_missing_file_and_changes_nothing(tmp_path):
    (tmp_path / "package.json").write_text('{"version": "0.0.0"}')
    before = Territory.objects.count()
    with pytest.raises(TerritoryDataError, match=r"regions\.json: file not found"):
        load_territories(tmp_path)
    assert Territory.objects.count() == before


def test_it_names_the_record_with_an_unknown_region_and_changes_nothing(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (tmp_path / "package.json").write_text('{"version": "0.0.0"}')
    for name in ("regions.json", "communes.json", "epci.json"):
        (data / name).write_text(json.dumps(package_records(name)))
    departements = package_records("departements.json")
    departements[1]["region"] = "99"
    (data / "departements.json").write_text(json.dumps(departements))
    with pytest.raises(TerritoryDataError, match=r"departements\.json: record 2 \(02\): unknown region '99'"):
        load_territories(tmp_path)
    assert Territory.objects.get(code="dep:02").region_id == "reg:32"


def test_the_command_reports_its_counts(capsys):
    call_command("load_territories")
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 38973 unchanged" in out
    assert "com: 34969" in out


def copy_of_package(tmp_path, change_communes=None):
    data = tmp_path / "data"
    data.mkdir()
    (tmp_path / "package.json").write_text((default_source_dir() / "package.json").read_text())
    for name in ("regions.json", "departements.json", "epci.json"):
        (data / name).write_text(json.dumps(package_records(name)))
    communes = package_records("communes.json")
    if change_communes:
        communes = [change_communes(dict(record)) for record in communes]
    (data / "communes.json").write_text(json.dumps(communes))
    return tmp_path


def test_a_population_refresh_of_every_commune_is_one_bulk_update(tmp_path):
    def grow(record):
        if record["type"] == "commune-actuelle" and record.get("population") is not None:
            record["population"] += 1
        return record

    before = dict(Territory.objects.filter(level=Level.COMMUNE).values_list("code", "population"))
    report = load_territories(copy_of_package(tmp_path, grow))
    grown = sum(1 for population in before.values() if population is not None)
    assert report.updated == grown > 34000
    after = dict(Territory.objects.filter(level=Level.COMMUNE).values_list("code", "population"))
    assert all(after[code] == population + 1 for code, population in before.items() if population is not None)
    assert Territory.objects.get(code="com:36044").name == "Châteauroux"  # the other columns are untouched


def test_a_second_load_meanwhile_is_refused_with_a_clear_message():
    from django.db import connection

    from suivi.territories.loading import LOCK_KEY

    if connection.vendor != "postgresql":
        pytest.skip("SQLite: a second load waits for the write lock (BEGIN IMMEDIATE), then says the database is busy")
    import psycopg

    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname=settings["NAME"]
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match="Another load_territories is running on this database"):
            call_command("load_territories", verbosity=0)
    finally:
        other.close()
