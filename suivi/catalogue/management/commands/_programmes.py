"""Shared by the programme commands: find the document a user names."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

PROGRAMMES_DIR = Path(settings.BASE_DIR) / "data" / "programmes"


def programme_file(name: str) -> Path:
    """``ciec`` → ``data/programmes/ciec/programme.yaml``; a path to a file is taken as it is."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml", ".json") or path.exists():
        return path
    candidate = PROGRAMMES_DIR / name / "programme.yaml"
    if candidate.exists():
        return candidate
    known = sorted(p.parent.name for p in PROGRAMMES_DIR.glob("*/programme.yaml"))
    raise CommandError(f"No programme named {name!r} (known: {', '.join(known) or 'none'}) and no such file.")
