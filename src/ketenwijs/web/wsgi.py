"""WSGI entry point for gunicorn/granian: `ketenwijs.web.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenwijs.web.settings")
application = get_wsgi_application()
