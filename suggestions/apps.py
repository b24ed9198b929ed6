from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    """Stored suggestions: rematches, full runs in chunks, refits and the review queue."""

    name = "suggestions"

    def ready(self) -> None:
        from suggestions import subscribers

        subscribers.register()
