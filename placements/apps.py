from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    """The match lifecycle: approve, offer, accept, start, complete, withdraw, and the daily sweep."""

    name = "placements"
