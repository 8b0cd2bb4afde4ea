"""Gunicorn settings for ochag: `gunicorn -c deploy/gunicorn.conf.py ochag.wsgi`.

Every knob comes from the environment so one file serves production and the benchmark.
"""

import os

bind = os.environ.get("OCHAG_BIND", "127.0.0.1:8000")  # behind a reverse proxy by default

# The app is CPU-bound in Python, so parallelism comes from processes, one GIL each: about
# one per core. Threads cover the time a request waits on PostgreSQL, and the concurrent API
# intakes of one process are written as one batch (ochag.core.combining), so a few processes
# with many threads beat many small ones (bench/intake/run.sh: 2x8 on 2 cores).
workers = int(os.environ.get("OCHAG_WORKERS", os.cpu_count() or 1))
worker_class = "gthread"
threads = int(os.environ.get("OCHAG_THREADS", "8"))
# With OCHAG_DB_CONN_MAX_AGE > 0 every thread keeps its own PostgreSQL connection open:
# workers x threads (+ db_worker and cron jobs) must stay below the server's max_connections.

# Each worker imports Django and opens its own DB connections after the fork; preloading
# would share nothing useful and risks connections or threads inherited across the fork.
preload_app = False

keepalive = 5  # seconds: a proxy or API client reuses its connection between requests

# Recycle a worker now and then so slow leaks and fragmentation cannot grow without bound;
# the jitter keeps the workers from restarting together. Not too often: a fresh worker pays
# Django's and the linkage engine's warm-up again (at 1 000 requests, a busy API server
# restarted each worker every few seconds).
max_requests = 50_000
max_requests_jitter = 5_000

timeout = 30  # a worker silent for longer is killed and replaced
graceful_timeout = 30  # on restart/stop, in-flight requests get this long to finish

# Django logs errors itself and the proxy logs requests; set OCHAG_ACCESS_LOG=- for stdout.
accesslog = os.environ.get("OCHAG_ACCESS_LOG") or None
