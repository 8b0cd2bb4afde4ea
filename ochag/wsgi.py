"""WSGI entry point for production servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")
application = get_wsgi_application()

# In production (OCHAG_HTTPS=1) a worker refuses to start when a deployment check fails:
# demo accounts present, console mail, HSTS off (ochag/access/checks.py).
from ochag.access.checks import refuse_unsafe_start  # noqa: E402  (needs the app registry)

refuse_unsafe_start()
