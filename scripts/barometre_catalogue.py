"""Write the Baromètre's programme document from its national synthesis file.

    python scripts/barometre_catalogue.py        # rewrites data/programmes/barometre/programme.yaml

The document holds the catalogue only — measures, indicators and their metadata (unit,
initial value, target and deadline), each quoting its line of the synthesis file. The
values themselves come in through the generic importer (`import_values` with the mapping
files beside this document), like any programme's. What the open data does not say is
derived here, by rules written in docs/barometre.md:

- direction: "moins est mieux" when the target is below the initial value;
- territorial aggregation: none for shares (units starting with "%"), a sum otherwise;
- geographic levels: the levels at which the detail files carry values;
- dates: the Baromètre dates a month by its last day ("2019-10-31"); they are months here.

Rows repeated in the file (the same indicator twice under one measure) make one indicator;
a second label is kept in its description.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "data" / "programmes" / "barometre"
SOURCE = HERE / "source"
SYNTHESIS = SOURCE / "barometre-resultats-synthese-national.csv"
DETAIL_FILES = {
    "national": [SOURCE / "barometre-resultats-detail-national.csv"],
    "regional": [SOURCE / "barometre-resultats-detail-regional.csv"],
    "departemental": sorted((SOURCE / "departements").glob("*.csv")),
}
LEVELS = {"national": "fr", "regional": "reg", "departemental": "dep"}


def slugify(text: str, length: int = 90) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:length].rstrip("-")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def month(day: str) -> str | None:
    return day[:7] if day else None


def number(text: str):
    if not text:
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()  # noqa: SIM905


def french_number(value) -> str:
    text = f"{value:,}".replace(",", "\u202f").replace(".", ",")
    return text


def sentence(target, unit: str, deadline: str) -> str:
    """ "Cible : 70 000 logements en décembre 2022", from the file's own figures."""
    year, month_number = deadline[:4], int(deadline[5:7])
    separator = "\u00a0" if unit.startswith("%") else " "
    return f"Cible : {french_number(target)}{separator}{unit} en {MONTHS[month_number - 1]} {year}"


def document(slug: str, title: str, path: Path) -> dict:
    return {
        "slug": slug,
        "title": title,
        "publisher": "Etalab (DINUM) — Baromètre des résultats de l’action publique",
        "published_on": "2023-01-18",
        "url": "https://www.data.gouv.fr/fr/datasets/barometre-des-resultats-de-laction-publique/",
        "file": path.relative_to(ROOT).as_posix(),
        "sha256": sha256(path),
        "media_type": "text/csv",
        "licence": "Licence Ouverte 2.0",
    }


def levels_of_indicators() -> dict[str, list[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for level, paths in DETAIL_FILES.items():
        for path in paths:
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    found[row["id_indicateur"]].add(LEVELS[level])
    order = list(LEVELS.values())
    return {key: sorted(levels, key=order.index) for key, levels in found.items()}


def build() -> dict:
    with SYNTHESIS.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [(reader.line_num, row) for row in reader]
    levels = levels_of_indicators()
    measures: dict[str, dict] = {}
    seen: dict[str, dict] = {}
    for line, row in rows:
        title = row["mesure"].strip()
        slug = slugify(title)
        measure = measures.get(slug)
        if measure is None:
            measure = measures[slug] = {
                "slug": slug,
                "axis": "politiques-prioritaires",
                "title": title,
                "source": {"document": "synthese-national", "lines": [line, line], "quote": title},
                "indicators": [],
            }
        key = row["id_indicateur"]
        if key in seen:
            known = seen[key]
            name = row["indicateur"].strip()
            if name != known["name"] and name not in known["description"]:
                known["description"] = f"Aussi publié sous le nom « {name} »."
            continue
        cite = {"document": "synthese-national", "lines": [line, line]}
        initial, target = number(row["valeur_initiale"]), number(row["cible"])
        decrease = initial is not None and target is not None and target < initial
        unit = row["unite"].strip()
        indicator = {
            "slug": key,
            "name": row["indicateur"].strip(),
            "description": "",
            "unit": unit,
            "direction": "decrease" if decrease else "increase",
            "aggregation": "none" if unit.startswith("%") else "sum",
            "update_cadence_months": 3,
            "geo_levels": levels.get(key, ["fr"]),
            "baseline": (
                {"value": initial, "date": month(row["date_valeur_initiale"]), "source": {**cite, "quote": key}}
                if initial is not None
                else None
            ),
            "target": (
                {
                    "value": target,
                    "deadline": month(row["date_cible"]),
                    "sentence": sentence(target, unit, row["date_cible"]),
                    "source": {**cite, "quote": key},
                }
                if target is not None
                else None
            ),
        }
        seen[key] = indicator
        measure["indicators"].append(indicator)
    documents = [
        document("synthese-national", "Baromètre des résultats — synthèse nationale", SYNTHESIS),
        document(
            "detail-national",
            "Baromètre des résultats — détail national",
            DETAIL_FILES["national"][0],
        ),
        document(
            "detail-regional",
            "Baromètre des résultats — détail régional",
            DETAIL_FILES["regional"][0],
        ),
        # The territorial goals (import_targets) cite these two.
        document(
            "synthese-regional",
            "Baromètre des résultats — synthèse régionale",
            SOURCE / "barometre-resultats-synthese-regional.csv",
        ),
        document(
            "synthese-departemental",
            "Baromètre des résultats — synthèse départementale",
            SOURCE / "barometre-resultats-synthese-departemental.csv",
        ),
    ]
    for path in DETAIL_FILES["departemental"]:
        code = path.stem.rsplit("-", 1)[1]
        documents.append(
            document(
                f"detail-departement-{code.lower()}", f"Baromètre des résultats — détail, département {code}", path
            )
        )
    return {
        "format": "suivi-programme/1",
        "programme": {
            "slug": "barometre",
            "name": "Baromètre des résultats de l’action publique",
            "short_name": "Baromètre",
            "description": (
                "Le baromètre des résultats de l’action publique suit, politique par politique et "
                "territoire par territoire, les résultats des réformes prioritaires du Gouvernement. "
                "Données ouvertes publiées par Etalab (DINUM) sous Licence Ouverte 2.0, état du 18 janvier 2023."
            ),
            "url": "https://www.data.gouv.fr/fr/datasets/barometre-des-resultats-de-laction-publique/",
        },
        "documents": documents,
        "axes": [
            {
                "slug": "politiques-prioritaires",
                "name": "Politiques prioritaires",
                "description": (
                    "Les fichiers ouverts du baromètre ne classent pas les mesures par thème : "
                    "elles sont toutes rangées ici, dans l’ordre de la synthèse nationale."
                ),
            }
        ],
        "measures": list(measures.values()),
    }


HEADER = """\
# The Baromètre des résultats de l'action publique, as a Suivi programme: its catalogue.
# Written by scripts/barometre_catalogue.py from source/barometre-resultats-synthese-national.csv;
# do not edit by hand (rules: docs/barometre.md). The values are imported with
# `import_values` and the mapping files beside this document (`make data` does it).
"""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


def main() -> int:
    text = yaml.dump(build(), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
    (HERE / "programme.yaml").write_text(HEADER + text, encoding="utf-8")
    print(f"wrote {HERE / 'programme.yaml'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
