"""A territory from what a person types: a typed code, or a name (homonyms refused with the candidates)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from suivi.territories.models import Territory

TYPED_CODE = re.compile(r"^(fr|(reg|ctom|dep|epci|com|comd|coma|arm)[:-][0-9A-Za-z]{1,9})$")


def resolve(text: str) -> Territory:
    """``dep:36``, ``com-36044``, ``Châteauroux`` → the territory; raises ``ValidationError`` saying why not."""
    text = (text or "").strip()[:200]
    if not text:
        raise ValidationError(_("Indiquez un territoire."))
    if TYPED_CODE.match(text):
        code = text if text == "fr" else Territory.code_from_slug(text) if ":" not in text else text
        found = Territory.objects.filter(code=code).first()
        if found is None:
            raise ValidationError(_("Aucun territoire n’a le code « %s ».") % text)
        return found
    candidates = list(Territory.objects.filter(current=True).search(text)[:6])
    exact = [t for t in candidates if t.match_rank == 0]
    if len(exact) == 1:
        return exact[0]
    if not candidates:
        raise ValidationError(_("Aucun territoire ne s’appelle « %s ».") % text)
    if len(candidates) == 1:
        return candidates[0]
    listed = ", ".join(f"{t.label} ({t.code})" for t in (exact or candidates)[:5])
    raise ValidationError(
        _("« %(text)s » désigne plusieurs territoires : %(listed)s. Donnez le code.")
        % {
            "text": text,
            "listed": listed,
        }
    )
