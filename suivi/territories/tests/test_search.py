import pytest

from suivi.territories.folding import fold
from suivi.territories.models import Territory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Châteauroux", "chateauroux"),
        ("Saint-Benoît", "saint benoit"),
        ("L’Haÿ-les-Roses", "l hay les roses"),
        ("Œuilly", "oeuilly"),
    ],
)
def test_it_folds_accents_case_and_separators(text, folded):
    assert fold(text) == folded


def test_it_finds_chateauroux_without_accents():
    first = Territory.objects.search("chateauroux").first()
    assert first.code == "com:36044"
    assert first.label == "Châteauroux (36)"


def test_it_lists_homonyms_with_their_departement():
    labels = [t.label for t in Territory.objects.search("Vernouillet")]
    assert labels[:2] == ["Vernouillet (28)", "Vernouillet (78)"]


def test_it_ranks_an_exact_name_before_longer_ones():
    codes = [t.code for t in Territory.objects.search("Indre")[:2]]
    assert codes == ["dep:36", "com:44074"]


def test_it_matches_every_word_in_any_order():
    assert "com:97410" in {t.code for t in Territory.objects.search("benoit saint")}


def test_it_finds_nothing_for_an_empty_query():
    assert not Territory.objects.search("  -  ").exists()


def test_within_a_region_lists_its_departements():
    codes = set(
        Territory.objects.within(Territory.objects.get(code="reg:24"))
        .filter(level="dep")
        .values_list("code", flat=True)
    )
    assert codes == {"dep:18", "dep:28", "dep:36", "dep:37", "dep:41", "dep:45"}


def test_slug_and_code_convert_both_ways():
    for code in ["fr", "reg:52", "dep:2A", "com:36044", "epci:200071082", "ctom:975"]:
        territory = Territory(code=code)
        assert Territory.code_from_slug(territory.slug) == code
