"""After the first load the database is the truth: a reload never silently overwrites what people changed."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from suivi.catalogue.interchange.exporting import dumps, export_programme
from suivi.catalogue.models import Measure
from suivi.catalogue.services import save_catalogue_object
from suivi.contributions.models import RoleKind
from suivi.factories import IndicatorFactory, RoleFactory, UserFactory
from suivi.initiatives.models import Convention
from suivi.sources.models import ChangeSet, Origin

pytestmark = pytest.mark.django_db


@pytest.fixture
def ciec_edited_on_the_site():
    call_command("load_programme", "ciec", verbosity=0)
    editor = UserFactory(username="editrice", first_name="Élise", last_name="Éditrice")
    RoleFactory(
        user=editor,
        kind=RoleKind.EDITOR,
        programme=Measure.objects.get(slug="generalisation-de-la-garantie-jeunes").programme,
    )
    measure = Measure.objects.get(slug="generalisation-de-la-garantie-jeunes")
    save_catalogue_object(
        editor, measure, origin=Origin.ADMIN, changes={"summary": "Résumé corrigé sur le site."}, reason="Coquille"
    )
    return measure


def test_a_reload_after_an_edit_on_the_site_is_refused_with_the_differences(ciec_edited_on_the_site):
    before = dumps(export_programme(ciec_edited_on_the_site.programme))
    with pytest.raises(CommandError) as raised:
        call_command("load_programme", "ciec", stdout=StringIO())
    message = str(raised.value)
    assert "nothing changed" in message and "--force" in message
    assert "measure generalisation-de-la-garantie-jeunes: summary: 'Résumé corrigé sur le site.' → " in message
    assert dumps(export_programme(ciec_edited_on_the_site.programme)) == before


def test_make_run_keeps_site_edits_and_goes_on(ciec_edited_on_the_site):
    stdout = StringIO()
    call_command("load_programme", "ciec", "--keep-site-edits", stdout=stdout)
    assert "not loaded: it would overwrite 1 change(s) made through the site" in stdout.getvalue()
    assert Measure.objects.get(pk=ciec_edited_on_the_site.pk).summary == "Résumé corrigé sur le site."


def test_force_applies_the_document_and_the_history_says_so(ciec_edited_on_the_site):
    stdout = StringIO()
    call_command("load_programme", "ciec", "--force", stdout=stdout)
    assert "Forced over 1 change(s) made on the site" in stdout.getvalue()
    measure = Measure.objects.get(pk=ciec_edited_on_the_site.pk)
    assert measure.summary != "Résumé corrigé sur le site."
    latest = measure.history.order_by("-history_date").first()
    assert latest.change_set.origin == Origin.LOADER
    assert "forcé" in latest.change_set.reason
    assert [r.summary for r in measure.history.order_by("-history_date")[:2]][1] == "Résumé corrigé sur le site."
    # The forced document is the latest truth: loading it again is quiet and writes nothing.
    count = ChangeSet.objects.count()
    call_command("load_programme", "ciec", verbosity=0)
    assert ChangeSet.objects.count() == count


def test_a_reload_of_an_unchanged_document_writes_nothing_and_records_no_change_set():
    call_command("load_programme", "ciec", verbosity=0)
    count = ChangeSet.objects.count()
    call_command("load_programme", "ciec", verbosity=0)
    assert ChangeSet.objects.count() == count


def test_two_programmes_never_share_slugs(tmp_path):
    """A second programme reusing the CIEC's convention and document slugs gets its own objects."""
    call_command("load_programme", "ciec", verbosity=0)
    ciec = Measure.objects.get(slug="generalisation-de-la-garantie-jeunes").programme
    before = dumps(export_programme(ciec))
    document = json.loads(before)
    document["programme"]["slug"] = "copie"
    document["programme"]["name"] = "Une copie du CIEC"
    path = tmp_path / "copie.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("load_programme", str(path), verbosity=0)
    slugs = {c.slug for c in Convention.objects.filter(programme=ciec)}
    assert len(slugs) == 3
    assert Convention.objects.filter(programme__slug="copie", slug__in=slugs).count() == 3
    assert ciec.documents.count() == 1 and ciec.documents.get().slug == document["documents"][0]["slug"]
    assert dumps(export_programme(ciec)) == before


def test_a_contributor_cannot_load_a_document(tmp_path):
    indicator = IndicatorFactory()
    user = UserFactory(username="contrib")
    RoleFactory(user=user, programme=indicator.measure.programme)
    call_command("load_programme", "ciec", verbosity=0)
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("load_programme", "ciec", "--user", user.email, "--force", verbosity=0)
