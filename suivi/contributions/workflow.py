"""The life of a reported fact (a value, a local initiative): draft → submitted → validated → published.

Only ``published`` reaches the public. A reviewer can send an item back to draft with a
comment at any step, and withdraw a published one: it is hidden from the public and kept
in the record, never deleted. This module holds the states and the allowed moves; who
may make each move is decided in ``rights``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    SUBMITTED = "submitted", _("soumis")
    VALIDATED = "validated", _("validé")
    PUBLISHED = "published", _("publié")
    WITHDRAWN = "withdrawn", _("retiré")


# (from, to) → the verb shown on the button and in the record.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.SUBMITTED): _("soumettre"),
    (Status.SUBMITTED, Status.VALIDATED): _("valider"),
    (Status.SUBMITTED, Status.DRAFT): _("renvoyer au contributeur"),
    (Status.VALIDATED, Status.PUBLISHED): _("publier"),
    (Status.VALIDATED, Status.DRAFT): _("renvoyer au contributeur"),
    (Status.PUBLISHED, Status.WITHDRAWN): _("retirer de la publication"),
    (Status.WITHDRAWN, Status.PUBLISHED): _("republier"),
    (Status.WITHDRAWN, Status.DRAFT): _("renvoyer au contributeur"),
}

# Moves only a reviewer makes; a contributor only submits its own drafts.
REVIEW_MOVES = {move for move in TRANSITIONS if move != (Status.DRAFT, Status.SUBMITTED)}

# Moves that need a comment saying why.
NEEDS_COMMENT = {move for move in TRANSITIONS if move[1] in (Status.DRAFT, Status.WITHDRAWN)}

# Where the reviewers' queue looks.
AWAITING_REVIEW = (Status.SUBMITTED, Status.VALIDATED)


def moves_from(status: str) -> list[tuple[str, str]]:
    """The states reachable from ``status``, with their verbs."""
    return [(to, verb) for (frm, to), verb in TRANSITIONS.items() if frm == status]
