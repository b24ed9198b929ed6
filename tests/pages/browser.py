"""A real browser for the page journeys: Debian's chromium driven by Playwright (never
``playwright install``), axe-core injected from the committed tests/pages/axe.min.js (no network),
screenshots under var/screenshots/.

Every page a journey visits is scanned: 0 serious or critical axe violations, and no
Content-Security-Policy refusal in the console (an inline script or style would be one)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).with_name("axe.min.js")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
#: WCAG 2.x A and AA rules (axe's tags); best practices are not the bar.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

#: Elements that stick out past the right edge of the screen (the page would scroll sideways).
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .filter(e => !e.closest('.grid-scroll') || e.matches('.grid-scroll'))
    .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
#: The console's policy refusals of each open page, by id(page).
_CSP_REFUSALS: dict[int, list[str]] = {}

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="the browser journeys need Debian's chromium at /usr/bin/chromium"
)


@contextmanager
def browser_page(viewport: Any = DESKTOP) -> Iterator[Any]:
    """A fresh page in a fresh context; Django's live server runs in this process, and Playwright's
    event loop makes Django's ORM refuse calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set."""
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            context = browser.new_context(viewport=viewport, locale="en-US")
            page = context.new_page()
            refusals = _CSP_REFUSALS.setdefault(id(page), [])

            def on_console(message: Any) -> None:
                if "Content Security Policy" in message.text:
                    refusals.append(message.text)

            page.on("console", on_console)
            yield page
            _CSP_REFUSALS.pop(id(page), None)
        finally:
            browser.close()


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now. Evaluated through the
    DevTools protocol, which the page's self-only policy does not apply to."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def checked(page: Any, name: str, *, phone: bool = False) -> None:
    """Scan the page (axe, CSP) and keep a screenshot of it; with ``phone`` a 375 px one too."""
    page.wait_for_load_state("networkidle")
    violations = serious_violations(page)
    assert not violations, f"{name}: {page.url}: {violations}"
    assert _CSP_REFUSALS.get(id(page)) == [], f"{name}: {page.url}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
    if phone:
        size = page.viewport_size
        page.set_viewport_size(PHONE)
        violations = serious_violations(page)
        assert not violations, f"{name} at 375 px: {page.url}: {violations}"
        # Nothing wider than the phone: no sideways scrolling of the whole page.
        wide = page.evaluate(WIDER_THAN_THE_SCREEN)
        assert not wide, f"{name} at 375 px is wider than the screen: {wide}"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
        page.set_viewport_size(size)


def tab_to(page: Any, selector: str, *, limit: int = 200) -> None:
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard user would
    reach it; fails if it is not reachable within ``limit`` presses."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is not reachable with the keyboard on {page.url}")
