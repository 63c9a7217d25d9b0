"""Watch a Playwright page for what a safe page never does: open a dialog, throw a script
error, break its Content-Security-Policy, or send a request away from the local server."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Dialog, Page, Request

# Records each policy violation on the page (init scripts run before the page's own).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""
LOCAL_HOSTS = {"127.0.0.1"}
LOCAL_SCHEMES = {"data", "blob", "about"}


class Guard:
    """Listens to one page from the moment it is made; `problems()` lists what it saw."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.away: list[str] = []
        self.violations: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("request", self._request)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in LOCAL_SCHEMES and parts.hostname not in LOCAL_HOSTS:
            self.away.append(request.url)

    def collect(self) -> None:
        """Add the policy violations reported on the page now open."""
        found = self.page.evaluate("window.__violations || []")
        self.violations.extend(str(item) for item in found)
        self.page.evaluate("window.__violations = []")

    def problems(self) -> list[str]:
        self.collect()
        return (
            [f"dialog {d}" for d in self.dialogs]
            + [f"console error {e}" for e in self.errors]
            + [f"policy violation {v}" for v in self.violations]
            + [f"request away from 127.0.0.1: {u}" for u in self.away]
        )

    def assert_clean(self, where: str) -> None:
        problems = self.problems()
        assert not problems, f"{where}:\n" + "\n".join(problems)
