import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suivi.settings")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, the static files' index) lives as long as the process:
# moved out of the collector's reach, Python's full collections no longer walk it. Measured on
# the département page at ten million values (bench/scale.py): one request in thirty paid a
# full collection of about 160,000 objects, p95 105 ms; frozen here, p95 55–68 ms.
gc.freeze()
