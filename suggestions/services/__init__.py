"""Suggestion services, one module per job:

* ``candidates``: the engine fed from the database (role snapshot, excluded pairs, fair exposure);
* ``store``: the idempotent upsert of suggestions and their withdrawal;
* ``rematch``: one volunteer, one role or a chunk, and which suggestions stay open;
* ``runs``: full runs in chunks shared by the workers;
* ``reconcile``: what the periodic reconciler re-queues;
* ``scoring_model``: the current model, the nightly refit, promotion, rollback and rescoring.
"""
