"""Kindred Match's matching engine: plain numpy/scipy/scikit-learn, no Django.

Django builds records, calls one of these, and stores what comes back.

Inputs (``records``): :class:`VolunteerRecord`, :class:`OpportunityRecord`, ``labels``
(slug -> display name) and ``excluded`` pairs ``{(volunteer_id, opportunity_id)}``.

Entry points:

* ``rank_all(volunteers, opportunities, *, today, k=10, model=None, labels={}, excluded=(),
  fair=True, prior_exposures=None) -> list[Suggestion]`` - full run, top k roles per volunteer.
* ``rank_all_arrays(...) -> RankedMatches`` - the same as arrays; ``.suggestions(start, stop)``
  builds Suggestion objects in batches, ``.stats`` has coverage figures.
* ``MatchIndex.build(opportunities, *, today, model=None) -> MatchIndex`` - prepared roles.
* ``rank_for_volunteer(volunteer, index, *, k=10, labels={}, excluded=(), prior_exposures=None)
  -> list[Suggestion]`` - one volunteer; top k by score, or fair exposure given priors.

``prior_exposures`` ({opportunity id: open suggestions the role already has from volunteers
outside this call}) carries fair exposure across the chunks of a run and single rematches;
``None`` ranks as if nothing else were shown.
* ``rank_for_opportunity(opportunity, volunteers, *, today, k=10, model=None, labels={},
  excluded=(), index=None) -> list[Suggestion]``
* ``is_eligible(v, o, *, today, excluded=())`` / ``ineligibility_reasons(v, o, *, today,
  excluded=())`` - the hard rules for one pair (re-check at accept time, daily sweep).
* ``ScoringModel`` (``DEFAULT_MODEL``: hand-set weights; ``to_dict``/``from_dict`` JSON),
  ``FEATURE_NAMES``; learning from decisions (``training``): ``Decisions``, ``refit_refusal``,
  ``time_split``, ``fit_model(decisions, *, version)``, ``compare_on_later(candidate, current,
  later)``.
"""

from matching.engine.eligibility import ineligibility_reasons, is_eligible
from matching.engine.features import FEATURE_NAMES
from matching.engine.index import MatchIndex
from matching.engine.ranking import (
    RankedMatches,
    rank_all,
    rank_all_arrays,
    rank_for_opportunity,
    rank_for_volunteer,
)
from matching.engine.records import OpportunityRecord, VolunteerRecord
from matching.engine.results import Suggestion
from matching.engine.scoring import DEFAULT_MODEL, ScoringModel
from matching.engine.training import (
    Decisions,
    RefitRules,
    compare_on_later,
    evaluate,
    fit_model,
    refit_refusal,
    time_split,
)

__all__ = [
    "DEFAULT_MODEL",
    "FEATURE_NAMES",
    "Decisions",
    "MatchIndex",
    "OpportunityRecord",
    "RankedMatches",
    "RefitRules",
    "ScoringModel",
    "Suggestion",
    "VolunteerRecord",
    "compare_on_later",
    "evaluate",
    "fit_model",
    "ineligibility_reasons",
    "is_eligible",
    "rank_all",
    "rank_all_arrays",
    "rank_for_opportunity",
    "rank_for_volunteer",
    "refit_refusal",
    "time_split",
]
