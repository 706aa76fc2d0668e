"""Helpers shared by the test modules (import as `from helpers import ...`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Locator

from toolkit.cli import main as cli_main


def infoops(*args: str, env: dict[str, str], input: str | None = None,
            check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the installed console script as a user would; `check` asserts exit code 0."""
    exe = Path(sys.executable).with_name("infoops")
    result = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True,
                            input=input, timeout=600)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def infoops_in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                       env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """`infoops ARGS` through the console script's own entry point (its one exit point for
    errors) in this process: exit code, stdout, stderr as a user sees them, without the
    seconds of imports a subprocess per case would cost."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "argv", ["infoops", *args])
    capsys.readouterr()
    code: int | str | None = 0
    try:
        cli_main.run()
    except SystemExit as e:
        code = e.code
    captured = capsys.readouterr()
    return (code if isinstance(code, int) else 1 if code else 0), captured.out, captured.err


def rendered_fonts(locator: Locator) -> dict[str, int]:
    """The fonts Chromium used to draw the text of `locator`'s element, with the glyphs
    drawn from each (DevTools' CSS.getPlatformFontsForNode): a CJK text drawn with a font
    that lacks its glyphs shows as boxes, which is how a missing font is caught."""
    page = locator.page
    locator.evaluate("e => e.setAttribute('data-font-probe', '1')")
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root,
                                              "selector": "[data-font-probe='1']"})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        locator.evaluate("e => e.removeAttribute('data-font-probe')")
        cdp.detach()
    return {f["familyName"]: int(f["glyphCount"]) for f in fonts}
