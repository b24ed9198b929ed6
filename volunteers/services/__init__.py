"""Writes to volunteer profiles, one module per job:

* ``registration``: a new volunteer account, its empty profile and its API token;
* ``profile_update``: the volunteer's own edits (location, declared background check, ...);
* ``declared_trainings``: the trainings a volunteer declares, checked and stored within an edit;
* ``verification``: background checks and trainings verified by platform staff or a coordinator
  (scoped to their organization until staff confirm);
* ``date_of_birth``: staff correct a date of birth the volunteer can no longer change.

Every service validates everything first and raises one ``ApplicationError`` (or Django's
``ValidationError`` from ``full_clean``) listing every bad field, before it writes anything; each
runs in one transaction, so a refused request leaves the database as it was.
"""
