"""Literal data for the demo: places, organizations and roles, no logic (``demo.catalogue``
dates the roles from the seeding day)."""
