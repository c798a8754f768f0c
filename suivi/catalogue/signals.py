"""Signals other apps listen to, so that the catalogue need not know them."""

from django.dispatch import Signal

# Sent inside the loading transaction once a programme document is written; kwargs: programme.
programme_loaded = Signal()
