"""axe-core on every page state of the shared walk: light and dark, desktop and phone.

axe-core comes from the npm registry through the project's own ``package.json`` (``npm ci``, run
by ``.ci/run``). Its source is evaluated in the page through the DevTools protocol
(``page.evaluate``), which the strict Content-Security-Policy does not govern, so the pages are
checked with the same policy users get. Without ``node_modules/axe-core`` the test fails in CI and
skips with the reason elsewhere.
"""

from __future__ import annotations

import json

import pytest

from ..conftest import IN_CI, PROJECT_ROOT
from .walk import make_world, walk

pytestmark = pytest.mark.browser

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices (heading order, landmarks, ...).
RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                    "best-practice"]},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


def axe_source() -> str:
    if not AXE.exists():
        reason = f"{AXE} is missing: run `npm ci` at the project root (package.json pins axe-core)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


SCREENS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_every_page_has_no_axe_violation(browser_instance, live_server, factory, scheme, screen):
    source = axe_source()
    world = make_world(factory)
    found: list[str] = []
    checked: list[str] = []

    def new_tab():
        context = browser_instance.new_context(
            base_url=live_server.url,
            color_scheme=scheme,
            viewport=SCREENS[screen],
            is_mobile=screen == "phone",
            has_touch=screen == "phone",
        )
        context.set_default_timeout(10_000)
        return context, context.new_page()

    def check(page, label: str) -> None:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(source)
        checked.append(label)
        if screen == "phone":  # WCAG 1.4.10 reflow: nothing scrolls sideways at 390 px
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                found.append(f"{label}: scrolls sideways by {overflow}px at 390 px")
        for violation in page.evaluate(RUN):
            nodes = "; ".join(f"{n['target']}" for n in violation["nodes"][:5])
            found.append(
                f"{label}: {violation['id']} ({violation['impact']}) "
                f"{violation['help']} [{len(violation['nodes'])}: {nodes}]\n    "
                + json.dumps(violation["nodes"][0]["summary"])
            )

    walk(new_tab, world, check)
    assert len(checked) > 30, checked
    assert not found, f"{len(found)} page states with violations:\n" + "\n".join(found)
