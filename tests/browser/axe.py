"""Run axe-core (shipped inside axe_playwright_python, no network) on a Playwright page.

Only the WCAG 2.0 and 2.1 level A and AA rules run: those are the rules the accessibility
statement claims conformance with. No rule is disabled and no element is excluded.
"""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Page

WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": WCAG_AA_TAGS},
    # Report passes and incomplete checks in brief; every violating node is still listed.
    "resultTypes": ["violations"],
}

Violation = dict[str, Any]

_axe = Axe()


def axe_violations(page: Page) -> list[Violation]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    results = _axe.run(page, options=OPTIONS)
    violations: list[Violation] = results.response["violations"]
    return violations


def describe(violations: list[Violation], *, nodes: int = 3) -> str:
    """One readable block per violation: rule id, impact, help, and the first targets."""
    lines: list[str] = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact'}): "
            f"{violation['help']} [{len(violation['nodes'])} element(s)] {violation['helpUrl']}"
        )
        for node in violation["nodes"][:nodes]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def assert_no_violations(page: Page, where: str) -> None:
    """Fail with a readable list of what axe-core found on `where`."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {where}:\n"
        + describe(violations)
    )
