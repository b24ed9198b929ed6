"""Developer machine: the embedded defaults, debug on."""

from .base import *  # noqa: F403  (settings modules extend the base namespace by design)
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
