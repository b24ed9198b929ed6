from tests.placements.lifecycle_helpers import eager_tasks  # noqa: F401  (fixture)
