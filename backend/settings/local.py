"""Developer machine: the embedded defaults, debug on."""

from .base import *  # noqa: F403  (settings modules extend the base namespace by design)
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
#: The embedded demo deployment that `make run` starts (scripts/run.sh sets KINDRED_DEMO=1, with
#: DJANGO_DEBUG off so people see the friendly error pages): seed_demo may load its logins, which
#: share a printed password, without DEBUG. Only this settings module reads it; production's
#: never does, so the flag cannot seed a real deployment.
KINDRED_DEMO = env.bool("KINDRED_DEMO", default=False)
