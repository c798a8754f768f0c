"""Cached public responses are dropped whenever a change set is written (see ``cache.py``)."""

from __future__ import annotations

from django.dispatch import receiver

from suivi.contributions.recording import data_changed
from suivi.publication import cache


@receiver(data_changed)
def _new_public_version(sender, change_set, programmes, **kwargs) -> None:
    cache.bump_now_and_on_commit()
