"""Roll-ups follow every recorded change (inside its transaction) and every COG load."""

from django.dispatch import receiver

from suivi.contributions.recording import data_changed
from suivi.indicators import rollups
from suivi.territories.signals import territories_loaded


@receiver(data_changed)
def roll_up(sender, change_set, programmes, **kwargs) -> None:
    rollups.recompute_changed(change_set)


@receiver(territories_loaded)
def territories_changed(sender, report, **kwargs) -> None:
    rollups.forget_territories()
