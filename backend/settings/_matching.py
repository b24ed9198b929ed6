"""Matching: caps, the distance unit, the refit's minimums (docs/matching.md).

A part of backend/settings/base.py, which imports every name here.
"""

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

#: No volunteer holds more open suggestions than this, across every role's queue (docs/matching.md,
#: "Who is shown where"): a strong profile is not offered by hundreds of organizations at once.
MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER = env.int("MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER", default=15)
#: Each open place of a role gets at most this many candidates in its review queue.
MAX_CANDIDATES_PER_PLACE = env.int("MAX_CANDIDATES_PER_PLACE", default=10)
#: The unit distances are shown in: "km", or "mi" for a US deployment (the NYC demo of `make run`
#: sets it). Rules, radii and storage stay in kilometres.
DISTANCE_UNIT = env.str("DISTANCE_UNIT", default="km")
if DISTANCE_UNIT not in ("km", "mi"):
    raise ImproperlyConfigured(f"DISTANCE_UNIT must be km or mi, not {DISTANCE_UNIT!r}")
#: The refit's minimums (decisions, of each outcome, organizations), the AUC gain's interval must
#: clear, and eta of the position weights k ** eta (docs/matching.md, "How the score learns").
SCORING_REFIT_MIN_DECISIONS = env.int("SCORING_REFIT_MIN_DECISIONS", default=200)
SCORING_REFIT_MIN_PER_OUTCOME = env.int("SCORING_REFIT_MIN_PER_OUTCOME", default=50)
SCORING_REFIT_MIN_ORGANIZATIONS = env.int("SCORING_REFIT_MIN_ORGANIZATIONS", default=3)
SCORING_PROMOTION_MARGIN = env.float("SCORING_PROMOTION_MARGIN", default=0.0)
SCORING_POSITION_ETA = env.float("SCORING_POSITION_ETA", default=1.0)
#: A volunteer holds at most this many open (pending) interest requests at once ("I'm interested"
#: in a role): enough to ask several organizations, few enough that each request is considered.
INTEREST_MAX_OPEN_PER_VOLUNTEER = env.int("INTEREST_MAX_OPEN_PER_VOLUNTEER", default=5)
#: Suggestions the engine withdrew, and nobody acted on, move out of the Match table to the archive
#: this many days after their withdrawal (suggestions/services/retention.py; daily at 04:15).
SUGGESTION_RETENTION_DAYS = env.int("SUGGESTION_RETENTION_DAYS", default=90)
if SUGGESTION_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("SUGGESTION_RETENTION_DAYS must be at least 1")
