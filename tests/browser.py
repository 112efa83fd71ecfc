"""What the browser tests share: Debian's Chromium (never a downloaded browser) and its flags.

The flags keep Chromium off the network it cannot reach here (background updates, sync) and let it
run as root in a container. The ``browser`` fixture (tests/conftest.py) launches it with Playwright.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def local_only(page, base: str, blocked: list[str]) -> None:
    """Let the page load only from ``base``; record and abort every other request."""
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(base) else (blocked.append(route.request.url), route.abort())
        ),
    )
