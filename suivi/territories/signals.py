from django.dispatch import Signal

# Sent inside the loading transaction after load_territories; kwargs: report.
territories_loaded = Signal()
