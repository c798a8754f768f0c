"""French plural rules for a site written in French.

The interface's strings are written in French, so they need no translation: except for
plurals. Without a catalogue Django falls back to English rules (``n != 1``) and prints
"0 mesures"; French takes the singular for 0 and 1 ("0 mesure", "1 initiative locale").
The French catalogue therefore holds only the plural entries, each translated as itself,
under ``Plural-Forms: nplurals=2; plural=(n > 1)``. ``manage.py update_plurals`` rebuilds
it from the sources (makemessages) and compiles it; a test checks it is complete.
"""

from __future__ import annotations

import contextlib
import gettext
import os
import re
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
HEADER = """\
# Suivi's French catalogue: plural entries only (see suivi/ui/plurals.py).
# Rebuilt by `manage.py update_plurals`; do not edit by hand.
msgid ""
msgstr ""
"Project-Id-Version: Suivi\\n"
"PO-Revision-Date: 2026-11-28 00:00+0100\\n"
"Last-Translator: Suivi\\n"
"Language-Team: Suivi\\n"
"Language: fr\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"""


def extracted() -> str:
    """The plural entries of the sources, as a .po file whose translations are their own text.

    makemessages writes next to the first ``locale`` folder above a source file; it runs in a
    scratch folder that links to ``suivi/``, so that it writes there and not over ours.
    """
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "suivi").symlink_to(Path(settings.BASE_DIR) / "suivi", target_is_directory=True)
        output = Path(folder) / "out"
        with contextlib.chdir(folder), override_settings(LOCALE_PATHS=[output]):
            call_command(
                "makemessages",
                locale=["fr"],
                symlinks=True,
                ignore_patterns=["tests"],
                no_location=True,
                no_wrap=True,
                verbosity=0,
            )
        po = (output / "fr" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = [block for block in po.split("\n\n") if "\nmsgid_plural " in block]
    rebuilt = []
    for block in sorted(entries, key=lambda b: re.search(r'^msgid (".*")$', b, re.M).group(1)):
        singular = re.search(r'^msgid (".*")$', block, re.M).group(1)
        plural = re.search(r'^msgid_plural (".*")$', block, re.M).group(1)
        flags = "\n".join(line for line in block.splitlines() if line.startswith("#,"))
        rebuilt.append(
            f"{flags}\nmsgid {singular}\nmsgid_plural {plural}\nmsgstr[0] {singular}\nmsgstr[1] {plural}\n".lstrip()
        )
    return HEADER + "".join(f"\n{entry}" for entry in rebuilt)


def compile_catalogue(po: Path) -> Path:
    mo = po.with_suffix(".mo")
    subprocess.run(["msgfmt", "--check", "-o", os.fspath(mo), os.fspath(po)], check=True)
    return mo


def catalogue_entries(mo: Path) -> dict:
    with mo.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)
