"""Ketenwijs's own settings plus one bare page, so the baseline runs behind the same stack.

Same middleware (sessions, login required, second factor, CSRF, CSP, axes), same database and
cache; only the URL map differs: it adds `/bench/bare/` in front of the application's URLs.
"""

from ketenwijs.web.settings import *  # noqa: F403

ROOT_URLCONF = "bench.web_app.urls"
