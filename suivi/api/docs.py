"""The API's documentation as a page of the site, in French, built from the OpenAPI document itself."""

from __future__ import annotations

from django.shortcuts import render

from suivi.api.main import api
from suivi.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

# What each operation does, in French (the OpenAPI document, for machines, stays in English).
SUMMARIES = {
    "list_programmes": "Les programmes publiés.",
    "get_programme": "Un programme.",
    "list_axes": "Les axes d’un ou de tous les programmes.",
    "list_decisions": "Les décisions (réunions, actes) qui ont porté les mesures.",
    "list_measures": "Les mesures, avec leur avancement ; filtres par axe, décision, état, mots.",
    "get_measure": "Une mesure, avec son avancement.",
    "list_indicators": "Les indicateurs, avec valeur initiale et cible.",
    "get_indicator": "Un indicateur.",
    "list_observations": "Les valeurs publiées, par indicateur, territoire, niveau et période.",
    "list_territorial_targets": "Les objectifs d’un territoire (valeur initiale, cible, échéance), avec sa "
    "dernière valeur et son avancement mesuré par rapport à eux.",
    "list_initiatives": "Les initiatives locales publiées ; filtres par mesure, territoire (et en dessous), mots.",
    "get_initiative": "Une initiative locale.",
    "list_organisations": "Les organisations (partenaires, financeurs).",
    "get_organisation": "Une organisation.",
    "list_fundings": "Les lignes de financement ; part_of désigne la ligne qui en inclut une autre.",
    "list_territories": "Les territoires du COG ; filtres par niveau, territoire parent, nom.",
    "get_territory": "Un territoire.",
    "list_sources": "Les références aux sources (document, lignes, citation).",
    "get_source": "Une référence à une source.",
    "search_everything": "Recherche dans les mesures, initiatives, indicateurs et territoires.",
    "create_value": "Saisir une valeur (jeton requis) : un brouillon, sauf pour un relecteur qui publie.",
    "update_value": "Corriger une valeur (jeton requis) ; version obligatoire, 409 si elle a changé.",
    "move_value": "Faire avancer une valeur dans le circuit de validation (soumettre, valider, publier…).",
    "create_initiative": "Proposer une initiative locale (jeton requis).",
    "update_initiative": "Corriger une initiative locale (jeton requis) ; version obligatoire.",
}
PARAMETERS = {
    "page": "numéro de page (à partir de 1)",
    "page_size": f"nombre d’éléments par page ({MAX_PAGE_SIZE} au plus, {DEFAULT_PAGE_SIZE} par défaut)",
    "programme": "identifiant du programme, ex. ciec",
    "axis": "identifiant de l’axe",
    "decision": "numéro de la décision, ex. 2 pour CIEC #2",
    "status": "état de la mesure : planned, in_progress, done, abandoned",
    "q": "mots recherchés, accents et majuscules ignorés",
    "measure": "identifiant de la mesure",
    "territory": "code du territoire, ex. dep:36",
    "level": "niveau : fr, reg, dep, ctom, epci, com…",
    "within": "seulement les territoires situés sous celui-ci, ex. reg:24",
    "date_from": "valeurs datées de ce jour ou après (AAAA-MM-JJ)",
    "date_to": "valeurs datées de ce jour ou avant (AAAA-MM-JJ)",
    "indicator": "identifiant de l’indicateur : programme/mesure/indicateur",
    "type": "measure, initiative, indicator ou territory",
    "document": "identifiant du document",
    "slug": "identifiant",
    "code": "code du territoire",
    "source_id": "identifiant numérique",
    "value_id": "identifiant numérique de la valeur",
}
METHODS = {"get": "lire", "post": "créer", "put": "corriger"}


def operations() -> list[dict]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    found = []
    for path, by_method in schema["paths"].items():
        for method, operation in by_method.items():
            # suivi_api_endpoints_list_axes → list_axes (the view's name, after its module's)
            key = operation["operationId"].split("_", 3)[-1]
            found.append(
                {
                    "method": method.upper(),
                    "verb": METHODS.get(method, method),
                    "path": path,
                    "summary": SUMMARIES.get(key, ""),
                    "writes": method != "get",
                    "parameters": [(p["name"], PARAMETERS.get(p["name"], "")) for p in operation.get("parameters", [])],
                }
            )
    return sorted(found, key=lambda o: (o["writes"], o["path"], o["method"]))


def documentation(request):
    return render(
        request,
        "api/docs.html",
        {
            "operations": operations(),
            "title": "Documentation de l’API",
            "breadcrumb_data": {"links": [], "current": "Documentation de l’API"},
        },
    )
