from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """The match records (matches, their transitions, runs, scoring models) and the engine that
    ranks them; the suggestions and placements apps act on these records."""

    name = "matching"
