"""Places resolved to COG codes by the territory reference and their neighbours (France's territories loaded)."""

import pytest

from suivi.extraction.places import gazetteer, places
from suivi.territories.models import Territory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_gazetteer():
    gazetteer.cache_clear()
    yield
    gazetteer.cache_clear()


def codes(text: str) -> list[str]:
    return [item.data["code"] for item in places(text)]


def test_a_homonym_next_to_a_place_of_its_departement_wins():
    assert codes("le protocole pour les quartiers des Bâtes à Dreux et de la Tabellionne à Vernouillet.") == [
        "com:28134",
        "com:28404",
    ]
    item = places("Une étude à Vernouillet.")[0]
    homonyms = Territory.objects.filter(code__in=["com:28404", "com:78643"]).order_by("-population")
    assert item.data["code"] == homonyms[0].code  # alone, the most populated
    assert homonyms[1].code in item.data["homonyms"] and item.confidence < 0.85


def test_overseas_names_multiword_names_and_a_city_named_like_its_departement():
    assert codes("un programme créé à Saint-Benoît (La Réunion)") == ["com:97410", "dep:974"]
    assert codes("Dans la région Pays de la Loire, et Dans le Val d’Oise, à Clichy-sous-Bois") == [
        "reg:52",
        "dep:95",
        "com:93014",
    ]
    assert codes("avec la Mairie de Paris") == ["com:75056"]


def test_organisations_institutions_and_headings_are_not_places():
    assert codes("Emmaüs France accueille. Le Musée d’Orsay et le Conseil National des Villes.") == []
    assert codes("MIEUX RÉPARTIR LE PARC SOCIAL") == []
    assert codes("la déléguée du quartier de Marseille Nord") == ["com:13055"]
