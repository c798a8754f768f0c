"""gunicorn's settings for `make serve-prod` and deployments (see README, "Production").

Every value can be changed from the environment: PORT, HOST, WEB_CONCURRENCY (workers),
GUNICORN_THREADS, GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS (the proxy's address), ACCESS_LOG.
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Sync workers: the views are short and the cache answers most requests (2 × cores + 1 is
# gunicorn's own advice for this kind).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Load the application once, before forking: the workers share its memory and start at once.
preload_app = True
# Recycle a worker now and then (memory that fragments over days).
max_requests = 20000
max_requests_jitter = 2000
# Which proxy may say which scheme and client the request came with (X-Forwarded-*).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-" if os.environ.get("ACCESS_LOG", "").lower() in ("1", "true", "yes") else None
errorlog = "-"
wsgi_app = "suivi.wsgi:application"
