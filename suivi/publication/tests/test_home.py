import pytest

from suivi.catalogue.models import Axis, Measure, Programme

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
    programme = Programme.objects.create(slug="ciec", name="La République en actes", short_name="CIEC")
    axis = Axis.objects.create(programme=programme, slug="quotidien", position=1, name="La République au quotidien")
    Measure.objects.create(programme=programme, axis=axis, slug="m1", position=1, title="Une mesure")
    Measure.objects.create(programme=programme, axis=axis, slug="m2", position=2, title="Cachée", is_published=False)
    Programme.objects.create(slug="brouillon", name="Programme en préparation", is_published=False)

    html = client.get("/").content.decode()
    assert "<h1>La République en actes</h1>" in html
    assert "1 mesure," in html
    assert "Programme en préparation" not in html
    assert client.get("/programmes/brouillon/").status_code == 404


def test_it_serves_the_dsfr_stylesheet(client):
    response = client.get("/static/dsfr/dist/dsfr.min.css")
    assert response.status_code == 200
