"""Every public page over the CIEC data, through real HTTP requests (Django's test client)."""

import datetime
import html as html_module
import re

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from suivi.catalogue.models import Measure
from suivi.contributions.workflow import Status
from suivi.factories import recorded
from suivi.initiatives.models import Initiative

NB = "\u00a0"

# The CIEC, loaded once for the module (conftest.py).
pytestmark = pytest.mark.usefixtures("ciec_for_module")


class CiecPagesTestCase(TestCase):
    def page(self, url: str) -> str:
        """The page's HTML, entities decoded so that attribute values read as the browser sees them."""
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return self.decoded(response)

    @staticmethod
    def decoded(response) -> str:
        return re.sub(r"[ \t\r\n]+", " ", html_module.unescape(response.content.decode()))

    def assertIn(self, member, container, msg=None):
        """A short failure message instead of the whole page."""
        if member not in container:
            self.fail(msg or f"{member!r} is not in the page")

    def assertNotIn(self, member, container, msg=None):
        if member in container:
            self.fail(msg or f"{member!r} is in the page")


class HomePageTests(CiecPagesTestCase):
    def test_it_shows_the_programme_its_axes_with_counts_and_the_decisions(self):
        html = self.page("/")
        self.assertIn("<h1>La République en actes", html)
        self.assertInHTML(
            '<a href="/programmes/ciec/axes/la-republique-au-quotidien/">La République au quotidien</a>', html
        )
        self.assertIn("20 mesures,", html)
        self.assertIn("25 initiatives locales", html)
        self.assertNotIn(" 0 mesures,", html)
        self.assertIn("Aucune mesure publiée : le bilan de janvier 2017, source de ce suivi, ne détaille", html)
        self.assertIn("<strong>CIEC #2</strong> — 26 octobre 2015", html)
        self.assertIn('<a href="/territoires/com-78440/">Les Mureaux</a>', html)

    def test_it_shows_headline_figures_with_their_date_and_source(self):
        html = self.page("/")
        self.assertIn(f"7{NB}000{NB}démolitions", html)
        self.assertIn(f"près de 100{NB}000{NB}enfants par an", html)
        self.assertIn("décembre 2016 — source : Comité interministériel", html)
        self.assertIn("lignes 74 à 75", html)

    def test_it_lists_latest_updates_once_each(self):
        html = self.page("/")
        self.assertIn("Dernières mises à jour", html)
        section = html.split("Dernières mises à jour")[1].split("</section>")[0]
        links = [part.split('"')[0] for part in section.split('href="')[1:]]
        self.assertEqual(len(links), len(set(links)))
        self.assertEqual(len(links), 6)
        # The date of the fact, and apart from it, when it was published here; never an ISO date.
        months = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
        self.assertRegex(section, rf"Nouvelle valeur : <a [^>]+>[^<]+</a> \((({months}) )?201[4-7]\)")
        self.assertIn("publiée ici le", section)
        self.assertNotRegex(html, r">[^<]*\d{4}-\d{2}-\d{2}[^<]*<")

    def test_the_map_claims_no_update_date(self):
        html = self.page("/programmes/ciec/mesures/reseau-des-conservatoires/")
        self.assertIn('class="suivi-map__svg"', html)
        self.assertNotIn("Mise à jour", html)


class AxisPageTests(CiecPagesTestCase):
    def test_it_lists_the_measures_as_cards_with_status_and_progress(self):
        html = self.page("/programmes/ciec/axes/la-republique-au-quotidien/")
        self.assertEqual(html.count('class="fr-card fr-enlarge-link"'), 20)
        self.assertIn(
            '<a href="/programmes/ciec/mesures/reseau-des-conservatoires/">'
            "Un réseau des conservatoires pour la formation artistique des jeunes</a>",
            html,
        )
        self.assertIn("Avancement vers la cible : 63 %", html)
        self.assertIn('fr-badge--purple-glycine">Mesure réalisée', html)
        # Its 3 000 young people target has no value yet: the least favourable status rolls up.
        self.assertIn("Cibles : non renseigné", html)

    def test_an_axis_without_measures_says_so(self):
        html = self.page("/programmes/ciec/axes/vivre-dans-la-republique/")
        self.assertIn("Aucune mesure de cet axe n’est encore publiée.", html)


class MeasurePageTests(CiecPagesTestCase):
    url = "/programmes/ciec/mesures/reseau-des-conservatoires/"

    def test_it_shows_title_decisions_summary_and_text(self):
        html = self.page(self.url)
        self.assertIn("<h1>Un réseau des conservatoires pour la formation artistique des jeunes<sup>", html)
        self.assertIn('<p class="fr-tag">CIEC #2 — 26 octobre 2015</p>', html)
        self.assertIn("Le « plan Conservatoires », mis en place en 2016", html)

    def test_each_indicator_shows_latest_value_date_target_progress_and_staleness(self):
        html = self.page(self.url)
        self.assertIn('id="indicateur-nouveaux-orchestres"', html)
        self.assertIn(f"19{NB}orchestres", html)
        self.assertIn("décembre 2016", html)
        self.assertIn("Objectif : 30 orchestres d’ici à 2018", html)
        self.assertIn('<gauge-chart value="19.0000" init="0" target="30.0000"></gauge-chart>', html)
        self.assertIn("Avancement : 63 % du chemin", html)
        self.assertIn("Au 31 décembre 2016 :", html)
        self.assertIn("donnée ancienne", html)
        self.assertIn("Aucune valeur nationale n’est encore publiée.", html)  # the 3 000 jeunes target

    def test_a_done_measure_without_targets_shows_its_status_and_no_progress_status(self):
        html = self.page("/programmes/ciec/mesures/generalisation-de-la-garantie-jeunes/")
        self.assertIn("Mesure réalisée", html)
        self.assertNotIn("Cibles :", html)
        self.assertNotIn(">atteint<", html)

    def test_an_increment_target_is_not_drawn_from_an_invented_zero(self):
        html = self.page("/programmes/ciec/mesures/dispositifs-de-deuxieme-chance/").replace(NB, " ")
        self.assertIn("Objectif : 2 nouveaux centres Épide ouverts en 2017", html)
        self.assertNotIn('init="0" target="20.0000"', html)
        self.assertIn('<gauge-chart value="18.0000" init="18.0000" target="20.0000">', html)
        self.assertIn("Valeur initiale : 18 ; cible : 20", html)
        html = self.page("/programmes/ciec/mesures/delegues-du-gouvernement-dans-les-quartiers/")
        self.assertNotIn('init="0"', html)

    def test_a_target_without_a_stated_baseline_shows_no_percentage(self):
        html = self.page("/programmes/ciec/mesures/acces-des-quartiers-prioritaires-a-la-politique-de-l-emploi/")
        block = html.split('id="indicateur-jeunes-en-service-civique-a-pole-emploi"')[1].split('id="indicateur-')[0]
        self.assertNotIn("<gauge-chart", block)
        self.assertIn("Au 31 décembre 2016 :", block)
        self.assertIn("cible pas encore atteinte", block)

    def test_every_figure_links_to_a_source_that_quotes_the_report_and_its_place(self):
        html = self.page(self.url)
        sources = html.split('id="sources-title"')[1]
        self.assertIn("« Fin 2016, ce sont 19 nouveaux orchestres qui ont été créés »", sources)
        self.assertIn("ligne 200", sources)
        for number in range(1, sources.count('id="source-') + 1):
            self.assertIn(f'href="#source-{number}"', html)

    def test_it_shows_initiatives_as_cards_and_on_a_map_with_its_table(self):
        html = self.page(self.url)
        self.assertIn('href="/programmes/ciec/initiatives/demos-bordeaux-metropole-gironde/"', html)
        self.assertIn("<title>Gironde (33) : 1 initiative locale</title>", html)
        self.assertIn('<a href="/territoires/dep-33/#initiatives-title" class="suivi-map__link" tabindex="-1">', html)
        self.assertInHTML('<a href="/territoires/dep-33/">Gironde (33)</a>', html)
        self.assertIn('<p class="fr-tag">Dispositif d’éducation musicale et orchestrale à vocation sociale</p>', html)

    def test_a_dated_baseline_starts_the_history_chart_and_its_table(self):
        html = self.page("/programmes/ciec/mesures/lutte-contre-le-decrochage-scolaire/")
        self.assertIn("""<line-chart x='[["2012", "janvier 2017"]]' y='[[12.0, 44.0]]'""", html)
        self.assertIn("<td>2012</td> <td>12 structures (valeur initiale)</td>", html.replace(NB, " "))

    def test_it_shows_funding_lines_in_french_amounts(self):
        html = self.page("/programmes/ciec/mesures/nouveau-programme-national-de-renouvellement-urbain/")
        self.assertIn(f"6{NB}Md€", html)
        self.assertIn(f"1{NB}Md€", html)
        self.assertIn("Agence nationale pour la rénovation urbaine", html)
        self.assertIn("1er trimestre 2017 — Premières conventions du NPNRU signées", html)

    def test_qualifiers_are_read_as_the_report_says(self):
        html = self.page("/programmes/ciec/mesures/scolarisation-precoce/")
        self.assertIn(f"plus de 20{NB}%", html)

    def test_a_measure_page_takes_the_same_number_of_queries_however_much_it_holds(self):
        def queries() -> int:
            with CaptureQueriesContext(connection) as context:
                self.assertEqual(self.client.get(self.url).status_code, 200)
            return len(context)

        before = queries()
        with recorded():
            self.add_content()
        self.assertEqual(queries(), before)
        self.assertLessEqual(before, 20)

    @staticmethod
    def add_content():
        measure = Measure.objects.get(slug="reseau-des-conservatoires")
        indicator = measure.indicators.first()
        for year in (2017, 2018, 2019):
            indicator.observations.create(territory_id="fr", date=datetime.date(year, 1, 1), value=20 + year % 10)
        other = measure.indicators.create(slug="autre", name="Autre", unit="x")
        other.observations.create(territory_id="dep:33", date=datetime.date(2017, 1, 1), value=3)
        for i in range(3):
            initiative = Initiative.objects.create(
                programme=measure.programme, slug=f"extra-{i}", title=f"Extra {i}", status=Status.PUBLISHED
            )
            initiative.measures.add(measure)
            initiative.territories.add("com:13055", "dep:75")
            initiative.figures.create(label="Chiffre", value=i, unit="u")
            initiative.fundings.create(label="Aide", amount=1000)
        measure.fundings.create(label="Crédits", amount=5)
        measure.milestones.create(label="Étape", date=datetime.date(2017, 1, 1))

    def test_unpublished_and_unknown_measures_are_not_found(self):
        Measure.objects.filter(slug="scolarisation-precoce").update(is_published=False)
        self.assertEqual(self.client.get("/programmes/ciec/mesures/scolarisation-precoce/").status_code, 404)
        self.assertEqual(self.client.get("/programmes/ciec/mesures/nope/").status_code, 404)
        self.assertEqual(self.client.get("/programmes/nope/mesures/reseau-des-conservatoires/").status_code, 404)
        self.assertEqual(self.client.get("/programmes/ciec/axes/nope/").status_code, 404)
        self.assertEqual(self.client.get("/programmes/ciec/initiatives/nope/").status_code, 404)


class InitiativePageTests(CiecPagesTestCase):
    def test_titles_follow_french_typography(self):
        html = self.page("/programmes/ciec/initiatives/guadeloupe-garage-solidaire-les-abeilles/")
        self.assertIn("<h1>Guadeloupe\u00a0: le premier garage solidaire «\u00a0les Abeilles\u00a0»<", html)

    def test_it_shows_places_figures_fundings_conventions_and_sources(self):
        html = self.page("/programmes/ciec/initiatives/npnru-dreux-vernouillet/")
        self.assertIn('<a href="/territoires/com-28404/">Vernouillet (28)</a>', html)
        self.assertIn(f"346{NB}000{NB}€", html)
        self.assertIn(f"106{NB}000{NB}€", html)
        self.assertIn("signée le 10 novembre 2016", html)
        self.assertIn("lignes 83 à 84", html)


class TerritoryPageTests(CiecPagesTestCase):
    def test_a_departement_lists_initiatives_below_it_and_its_communes(self):
        html = self.page("/territoires/dep-28/")
        self.assertIn("<h1>Eure-et-Loir</h1>", html)
        self.assertIn("1 initiative locale ici ou dans ses territoires", html)
        self.assertIn("npnru-dreux-vernouillet", html)
        self.assertIn('<a href="/territoires/reg-24/">Centre-Val de Loire</a>', html)
        self.assertIn('<a href="/territoires/epci-200040277/">CA Agglo du Pays de Dreux</a>', html)
        # The map frames Centre-Val de Loire: its six départements linked, Eure-et-Loir outlined.
        svg = html.split('class="suivi-map__svg"')[1].split("</svg>")[0]
        self.assertEqual(svg.count("#initiatives-title"), 6)
        self.assertIn('suivi-map__current"><title>Eure-et-Loir (28) : 1 initiative locale</title>', svg)
        self.assertIn("<title>Indre (36) : 0 initiative locale</title>", svg)
        self.assertIn('class="suivi-map__context"', svg)  # neighbours, in grey, for context
        self.assertNotIn("Yvelines (78)", svg)

    def test_the_homonym_in_yvelines_does_not_get_the_dreux_initiative(self):
        self.assertIn("npnru-dreux-vernouillet", self.page("/territoires/com-28404/"))
        html = self.page("/territoires/com-78643/")
        self.assertNotIn("npnru-dreux-vernouillet", html)
        self.assertIn("Aucune initiative locale ni valeur d’indicateur", html)
        self.assertIn('Consultez <a href="/territoires/dep-78/">Yvelines</a>', html)

    def test_every_level_has_a_page(self):
        for slug, text in [
            ("fr", "<h1>France</h1>"),
            ("reg-52", "<h1>Pays de la Loire</h1>"),
            ("epci-200040277", "npnru-dreux-vernouillet"),
            ("ctom-975", "<h1>Saint-Pierre-et-Miquelon</h1>"),
            ("com-13055", "marseille-classes-moins-de-3-ans"),
            ("arm-13201", "<h1>Marseille 1er Arrondissement (13)</h1>"),
            ("comd-01015", "<h1>Arbignieu (01)</h1>"),
        ]:
            self.assertIn(text, self.page(f"/territoires/{slug}/"), slug)

    def test_france_shows_the_national_values_and_all_initiatives(self):
        html = self.page("/territoires/fr/")
        self.assertIn("25 initiatives locales ici ou dans ses territoires", html)
        self.assertIn("Nouveaux orchestres créés", html)

    def test_an_unknown_code_is_not_found(self):
        for slug in ["dep-99", "com-00000", "nope", "reg-"]:
            self.assertEqual(self.client.get(f"/territoires/{slug}/").status_code, 404, slug)


class MapPageTests(CiecPagesTestCase):
    def test_it_counts_initiatives_by_departement_and_links_each_one(self):
        response = self.client.get("/carte/")
        html = self.decoded(response)
        self.assertIn("25 initiatives locales", html)
        # The figures on the page add up: placed in a département + regional or national = all.
        placed, others = response.context["map_total"], len(response.context["unplaced"])
        self.assertEqual(placed + others, 25)
        self.assertIn(f"dont {placed} placées dans un département et {others} à l’échelle", html)
        self.assertInHTML(
            f"<tr><th scope='row'>Initiatives placées dans au moins un département</th><td>{placed}</td></tr>", html
        )
        self.assertIn("<title>Bouches-du-Rhône (13) : 2 initiatives locales</title>", html)
        self.assertInHTML('<a href="/territoires/dep-13/">Bouches-du-Rhône (13)</a>', html)
        # Overseas départements each in a frame of their own, named under it.
        overseas = html.split('<ul class="suivi-map__overseas">')[1].split("</ul>")[0]
        self.assertEqual(overseas.count("<svg "), 5)
        self.assertIn('<span class="fr-text--xs">La Réunion</span>', overseas)
        self.assertIn("Initiatives à l’échelle d’une région ou nationale", html)

    def test_it_filters_by_axis_and_measure(self):
        html = self.page("/carte/?mesure=scolarisation-precoce")
        self.assertIn("2 initiatives locales", html)
        self.assertIn("(95) : 1 initiative locale</title>", html)
        self.assertIn("(13) : 1 initiative locale</title>", html)
        self.assertIn("(36) : 0 initiative locale</title>", html)
        html = self.page("/carte/?axe=vivre-dans-la-republique")
        self.assertIn("0 initiative locale", html)  # French: 0 takes the singular
        self.assertEqual(self.client.get("/carte/?programme=nope").status_code, 404)


class MeasureListTests(CiecPagesTestCase):
    def cards(self, query: str = "") -> list[str]:
        html = self.page("/programmes/ciec/mesures/" + query)
        return re.findall(r'<h2 class="fr-card__title fr-h6"><a href="/programmes/ciec/mesures/([^/]+)/">', html)

    def test_it_lists_every_published_measure_without_a_search_word(self):
        self.assertEqual(len(self.cards()), Measure.objects.public().count())

    def test_it_filters_by_decision_measure_status_and_progress_status(self):
        self.assertEqual(
            sorted(self.cards("?decision=3")),
            sorted(Measure.objects.public().filter(decisions__number=3).values_list("slug", flat=True)),
        )
        done = self.cards("?statut=done")
        self.assertEqual(sorted(done), sorted(Measure.objects.filter(status="done").values_list("slug", flat=True)))
        self.assertIn("generalisation-de-la-garantie-jeunes", done)
        self.assertNotIn("generalisation-de-la-garantie-jeunes", self.cards("?avancement=reached"))
        self.assertIn("reseau-des-conservatoires", self.cards("?avancement=no_data"))

    def test_it_sorts_titles_in_french_order_and_progress_from_the_most_advanced(self):
        titles = [Measure.objects.get(slug=slug).title for slug in self.cards("?tri=titre")]
        from suivi.ui.formatting import sort_key

        self.assertEqual(titles, sorted(titles, key=sort_key))
        self.assertNotEqual(self.cards("?tri=titre"), self.cards())

    def test_bad_filters_are_ignored_and_an_empty_result_says_so(self):
        self.assertEqual(len(self.cards("?decision=%C2%B2&statut=nope&tri=nope")), Measure.objects.public().count())
        self.assertIn(
            "Aucune mesure ne répond à ces critères.", self.page("/programmes/ciec/mesures/?statut=abandoned")
        )

    def test_the_home_page_sums_up_both_statuses(self):
        html = self.page("/")
        done = Measure.objects.public().filter(status="done").count()
        self.assertIn(f'<a href="/programmes/ciec/mesures/?statut=done">Réalisées : {done}</a>', html)
        self.assertIn("<li>Abandonnées : 0</li>", html)
        self.assertIn('href="/programmes/ciec/mesures/?avancement=no_data">Non renseigné : 4</a>', html)

    def test_the_method_page_explains_progress(self):
        html = self.page("/methode/")
        self.assertIn("Avancement = (valeur actuelle − valeur initiale) ÷ (cible − valeur initiale)", html)


class SourcePageTests(CiecPagesTestCase):
    def test_a_footnote_links_to_the_line_it_cites_on_the_document_page(self):
        html = self.page("/programmes/ciec/mesures/reseau-des-conservatoires/")
        self.assertIn('href="/programmes/ciec/sources/rapport-ciec-2017/#ligne-200"', html)
        page = self.page("/programmes/ciec/sources/rapport-ciec-2017/")
        self.assertIn("Commissariat général à l’égalité des territoires (CGET)", page)
        self.assertIn("janvier 2017", page)
        self.assertIn("non précisée par la source", page)
        self.assertRegex(page, r'<li id="ligne-200" value="200"><mark>[^<]*19 nouveaux orchestres')
        self.assertRegex(page, r'<li id="ligne-1" value="1">(?!<mark>)')

    def test_an_unknown_document_is_not_found(self):
        self.assertEqual(self.client.get("/programmes/ciec/sources/nope/").status_code, 404)


class FrenchOrderTests(CiecPagesTestCase):
    def test_attached_territories_are_in_french_order(self):
        html = self.page("/territoires/dep-36/")
        self.assertLess(html.index(">Bélâbre"), html.index(">Buxeuil"))
        attached = self.page("/territoires/fr/").split('href="/territoires/reg-')[1:]
        names = [part.split(">", 1)[1].split("<", 1)[0] for part in attached]
        self.assertLess(names.index("Hauts-de-France"), names.index("Île-de-France"))
        self.assertLess(names.index("Île-de-France"), names.index("Normandie"))
