import pytest

from suivi.factories import MeasureFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_it_serves_a_french_dsfr_home_page(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "fr-header" in html and "fr-footer" in html
    assert "dsfr.min.css" in html
    assert "Aucun programme n’est encore publié." in html


def test_it_lists_published_programmes_with_their_counts(client):
    shown = MeasureFactory(axis__programme__slug="ciec", axis__programme__name="La République en actes")
    MeasureFactory(axis=shown.axis, title="Cachée", is_published=False)
    ProgrammeFactory(slug="brouillon", name="Programme en préparation", is_published=False)

    html = client.get("/").content.decode()
    assert "<h1>La République en actes</h1>" in html
    assert "1 mesure," in html
    assert "Programme en préparation" not in html
    assert client.get("/programmes/brouillon/").status_code == 404


def test_it_serves_the_dsfr_stylesheet(client):
    response = client.get("/static/dsfr/dist/dsfr.min.css")
    assert response.status_code == 200
