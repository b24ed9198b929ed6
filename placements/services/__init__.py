"""Placement services, one module per job:

* ``transitions``: one service per lifecycle transition, each with its guard and audit row;
* ``eligibility``: the engine's rules re-checked on a match as it stands now;
* ``reasons``: the reason codes people and the system give;
* ``sweep``: the daily sweep.
"""
