"""Debian's Firefox ESR driven over Marionette, with Gloss installed as a temporary add-on.

There is no geckodriver on Debian, so WebDriver classic is out; Mozilla's pure-Python
`marionette-driver` talks to the Marionette server built into Firefox instead. Firefox runs
headless with a fresh profile whose prefs pin the add-on's internal UUID (fixed
`moz-extension://` URLs), grant optional permission requests without the door-hanger, and keep
it off the network.
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# mozinfo (a dependency of marionette-driver) calls a deprecated `distro` function when imported;
# the suite turns warnings into errors, so this one import is let through.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from marionette_driver.addons import Addons
    from marionette_driver.marionette import Marionette

FIREFOX = "/usr/bin/firefox-esr"
GECKO_ID = "gloss@gloss.invalid"
ADDON_UUID = "6b1f3c52-8d0e-4f7a-9c3b-2e5d7a1f0c94"
EXTENSION_ORIGIN = f"moz-extension://{ADDON_UUID}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def profile_prefs(marionette_port: int, local_hosts: list[str]) -> dict[str, Any]:
    """user.js prefs for a test profile: fixed add-on URLs, no prompts, no network but loopback."""
    return {
        "marionette.port": marionette_port,
        "extensions.webextensions.uuids": json.dumps({GECKO_ID: ADDON_UUID}),
        "network.dns.localDomains": ",".join(local_hosts),
        "extensions.webextOptionalPermissionPrompts": False,
        "xpinstall.signatures.required": False,
        "extensions.autoDisableScopes": 0,
        "services.settings.server": "http://127.0.0.1:9/",
        "app.update.enabled": False,
        "app.normandy.enabled": False,
        "browser.shell.checkDefaultBrowser": False,
        "browser.startup.homepage_override.mstone": "ignore",
        "datareporting.policy.dataSubmissionEnabled": False,
        "toolkit.telemetry.reportingpolicy.firstRun": False,
        "browser.tabs.warnOnClose": False,
        "ui.prefersReducedMotion": 1,
    }


class Firefox:
    """One Firefox process and its Marionette session."""

    def __init__(self, profile: Path, log: Path, local_hosts: list[str]) -> None:
        port = free_port()
        lines = [
            f"user_pref({json.dumps(k)}, {json.dumps(v)});"
            for k, v in profile_prefs(port, local_hosts).items()
        ]
        (profile / "user.js").write_text("\n".join(lines) + "\n", encoding="utf-8")
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [
                FIREFOX,
                "--headless",
                "-marionette",
                "-remote-allow-system-access",
                "-no-remote",
                "-profile",
                str(profile),
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_for_port(port, log)
            self.m = Marionette(host="127.0.0.1", port=port, socket_timeout=60)
            self.m.start_session()
            self.m.set_window_rect(width=1280, height=900)
        except BaseException:
            self.close()
            raise

    def _wait_for_port(self, port: int, log: Path) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"firefox-esr exited: {log.read_text(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("firefox-esr did not open its Marionette port")

    def install_temporary_addon(self, path: Path) -> str:
        return str(Addons(self.m).install(str(path), temp=True))

    def open_tab(self, url: str) -> str:
        """Open `url` in a new foreground tab (as a reader would) and make it current."""
        before = set(self.m.window_handles)
        with self.m.using_context("chrome"):
            self.m.execute_script(
                """gBrowser.selectedTab = gBrowser.addTab(arguments[0], {
                     triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal()});""",
                script_args=[url],
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            new = set(self.m.window_handles) - before
            if new:
                handle = new.pop()
                self.m.switch_to_window(handle)
                self._wait_loaded(url)
                return handle
            time.sleep(0.05)
        raise RuntimeError(f"no tab opened for {url}")

    def _wait_loaded(self, url: str) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if self.m.get_url() != "about:blank" and self.run(
                    "return document.readyState === 'complete'"
                ):
                    return
            except Exception:  # noqa: BLE001 - the tab is still switching documents
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{url} did not finish loading")

    def select(self, handle: str) -> None:
        self.m.switch_to_window(handle)

    def close_tab(self, handle: str) -> None:
        self.m.switch_to_window(handle)
        self.m.close()

    def run(self, script: str, *args: Any) -> Any:
        """Run a function body in the current tab (page globals via `window.wrappedJSObject`)."""
        return self.m.execute_script(script, script_args=list(args))

    def run_async(self, body: str, *args: Any, timeout_ms: int = 15000) -> Any:
        """Run `body`, an async function body, in the current tab and return what it resolves.

        It runs in Marionette's sandbox for the tab; `win` is the tab's own global (so on an
        extension page `win.browser` is the extension's API), `args` the JSON-able arguments,
        and `toPage(value)` copies a value into the tab's compartment (needed for anything handed
        to the tab's functions). The result travels back as JSON; a rejection fails the test.
        """
        script = (
            "const done = arguments[arguments.length - 1];\n"
            "const args = arguments[0];\n"
            "const win = window.wrappedJSObject;\n"
            "const toPage = (value) => win.JSON.parse(JSON.stringify(value));\n"
            f"(async () => {{\n{body}\n}})().then(\n"
            "  (value) => done(JSON.stringify({value: value === undefined ? null : value})),\n"
            "  (error) => done(JSON.stringify({error: String(error?.message ?? error)})));"
        )
        result = self.m.execute_async_script(
            script, script_args=[list(args)], script_timeout=timeout_ms
        )
        outcome = json.loads(result)
        if "error" in outcome:
            raise AssertionError(f"script failed in {self.m.get_url()}: {outcome['error']}")
        return outcome["value"]

    def press_toolbar_button(self, addon_id: str) -> None:
        """Press the add-on's toolbar button for the selected tab, as a click does (it grants
        `activeTab` and opens the popup)."""
        with self.m.using_context("chrome"):
            self.m.execute_script(
                """const {ExtensionParent} = ChromeUtils.importESModule(
                     "resource://gre/modules/ExtensionParent.sys.mjs");
                   const extension = WebExtensionPolicy.getByID(arguments[0]).extension;
                   ExtensionParent.apiManager.global.browserActionFor(extension)
                     .triggerAction(window);""",
                script_args=[addon_id],
            )

    def click_at(self, x: float, y: float) -> None:
        """A real mouse click at viewport coordinates."""
        self.m.actions.sequence(
            "pointer", "mouse", pointer_params={"pointerType": "mouse"}
        ).pointer_move(int(x), int(y), origin="viewport").pointer_down().pointer_up().perform()
        self.m.actions.release()

    def move_to(self, x: float, y: float) -> None:
        self.m.actions.sequence(
            "pointer", "mouse", pointer_params={"pointerType": "mouse"}
        ).pointer_move(int(x), int(y), origin="viewport").perform()

    def press(self, key: str) -> None:
        self.m.actions.sequence("key", "keyboard").key_down(key).key_up(key).perform()

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = self.m.screenshot(full=False)
        path.write_bytes(base64.b64decode(data))

    @contextmanager
    def in_tab(self, handle: str) -> Iterator[None]:
        """Make `handle` current for the block, then go back to the tab that was current."""
        previous = self.m.current_window_handle
        self.m.switch_to_window(handle, focus=False)
        try:
            yield
        finally:
            self.m.switch_to_window(previous, focus=False)

    def close(self) -> None:
        try:
            if getattr(self, "m", None) is not None and self.m.session is not None:
                self.m.delete_session()
        except Exception:  # noqa: BLE001 - the browser may already be gone
            pass
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()
