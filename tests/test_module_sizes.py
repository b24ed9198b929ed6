"""No module of the project is over 400 lines: past that, a module holds more than one job.

Walks every ``.py`` file of the project's packages, migrations and tests aside (generated, or
long by nature). A module over the limit fails the test by name; split it by job, as
``placements/services/`` and ``suggestions/services/`` are. Data files (literal tables, no logic)
may be longer: each is listed in ``DATA_FILES`` with the reason it is exempt.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400
PACKAGES = (
    "backend",
    "accounts",
    "audit",
    "taxonomy",
    "organizations",
    "opportunities",
    "volunteers",
    "matching",
    "suggestions",
    "placements",
    "engagement",
    "notifications",
    "demo",
    "pages",
    "bench",
    "scripts",
)
SKIPPED_DIRECTORIES = frozenset({"migrations", "tests", "__pycache__"})
#: Modules allowed past MAX_LINES, by path from the repository root, each with its reason.
DATA_FILES: dict[str, str] = {}


def project_modules() -> list[Path]:
    modules = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if not SKIPPED_DIRECTORIES.intersection(relative.parts):
                modules.append(relative)
    return modules


def line_count(relative: Path) -> int:
    return len((ROOT / relative).read_text(encoding="utf-8").splitlines())


def test_the_walk_finds_every_package():
    found = {path.parts[0] for path in project_modules()}

    assert found == set(PACKAGES)


def test_no_module_is_over_the_limit():
    too_long = [
        f"{path.as_posix()}: {lines} lines"
        for path in project_modules()
        if path.as_posix() not in DATA_FILES and (lines := line_count(path)) > MAX_LINES
    ]

    assert not too_long, (
        f"Modules over {MAX_LINES} lines (split them by job, or list a data file in DATA_FILES):\n"
        + "\n".join(too_long)
    )


def test_each_exempt_data_file_exists_and_needs_its_exemption():
    """A stale entry (file gone, or back under the limit) would exempt whatever takes its name."""
    stale = [
        name
        for name in DATA_FILES
        if not (ROOT / name).is_file() or line_count(Path(name)) <= MAX_LINES
    ]

    assert not stale, f"Remove from DATA_FILES: {', '.join(stale)}"
