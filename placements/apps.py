from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    """The match lifecycle: approve, offer, accept, start, hold, resume, complete, withdraw, the
    re-checks after a change, and the daily sweep."""

    name = "placements"

    def ready(self) -> None:
        from placements import subscribers

        subscribers.register()
