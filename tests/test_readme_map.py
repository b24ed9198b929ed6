"""The README's map of the rooms is the code's: the same apps, in the order of the layers that
import-linter enforces (pyproject.toml), so the map cannot drift from the house."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def _map_rooms() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Layout") :]
    block = section.split("```")[1]
    rooms: list[str] = []
    for line in block.splitlines():
        rooms += re.findall(r"(?:^|\| ?|^ \| )([a-z_]+)/", line.split("  ")[0])
    return rooms


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layered,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return [name.strip() for layer in layered["layers"] for name in layer.split("|")]


def test_the_map_names_every_app_of_the_project_and_nothing_else():
    local_apps = {app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()}
    assert set(_map_rooms()) == local_apps | {"backend"}


def test_the_map_lists_the_rooms_in_the_order_of_the_enforced_layers():
    rooms = [room for room in _map_rooms() if room != "backend"]
    assert rooms == _layers()
