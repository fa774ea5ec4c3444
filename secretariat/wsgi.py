"""WSGI entry point for production servers (gunicorn secretariat.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from secretariat.operations.startup import prepare

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
prepare()  # var/ and the stored secret key, before anything reads them
application = get_wsgi_application()

# Load the URL map (the API's hundreds of operations take seconds) now, not in a worker's
# first request; then keep everything loaded so far out of the garbage collector's full
# passes, which otherwise rescan it and stall a request now and then (150-350 ms seen on
# report pages).
get_resolver().url_patterns  # noqa: B018
gc.freeze()
