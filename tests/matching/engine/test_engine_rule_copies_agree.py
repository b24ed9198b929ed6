"""The hard rules have one definition (matching/engine/eligibility.py on records, built from
matching/engine/rules.py); the full run applies copies of them for speed. These properties hold the
copies to the definition on generated catalogues:

* the vectorised rules (``pairs.pair_eligible``) agree with the scalar ones on every pair
  (tests/matching/engine/test_engine_properties.py);
* the penalty columns of the fused product (``fused.rule_columns``) mark only pairs the scalar
  rules refuse: a penalty never drops an eligible pair;
* the vectorised table's modes are the records' modes.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given

from matching.engine import MatchIndex, is_eligible
from matching.engine.fused import rule_columns
from matching.engine.pairs import MODE_CODES, VolunteerTable
from matching.engine.records import MODES
from tests.matching.engine.test_engine_properties import PROPERTY_SETTINGS, TODAY, catalogues


@PROPERTY_SETTINGS
@given(catalogues())
def test_a_penalty_column_never_marks_an_eligible_pair(catalogue):
    vols, opps, _ = catalogue
    index = MatchIndex.build(opps, today=TODAY)
    if not len(index.roles):
        return
    vt = VolunteerTable.build(vols, index.vocab)
    lacks, requires = rule_columns(index, vt)

    broken = (lacks @ requires.T).toarray() > 0

    for vi, ri in zip(*np.nonzero(broken), strict=True):
        volunteer, role = vols[vi], index.roles.records[ri]
        assert not is_eligible(volunteer, role, today=TODAY), (volunteer, role)


def test_the_vectorised_modes_are_the_records_modes():
    assert set(MODE_CODES) == MODES
    assert len(MODE_CODES) == len(MODES)
