"""Screenshots of the explorer (``zonesim app``) in English and Chinese, for the docs.

Starts the app, drives it with headless Chromium (Chromium, chromedriver, selenium and,
for the Chinese page, a CJK font): watches the baseline's replicate 0 to 2025, then runs
the shipped what-if "No integration" against the baseline with 4 paired seeds. Writes
``watch.en.png``, ``watch.zh.png``, ``whatif.en.png`` and ``whatif.zh.png`` into the folder
given.

Usage: ``python scripts/screenshot_app.py docs/app``
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ZONESIM = Path(sys.executable).with_name("zonesim")
WAIT = int(os.environ.get("SCREENSHOT_WAIT", 600))
YEARS = 10  # watched up to 2025
MENU = "//div[contains(@class,'menuable__content__active')]"


def main(out: Path) -> None:
    """Write the four screenshots into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="screenshot_app_"))
    server = subprocess.Popen(
        [str(ZONESIM), "app", "--port", "0", "--workers", "2"],
        cwd=work,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = re.search(r"(http://\S+)", server.stdout.readline()).group(1)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1440,1000", "--hide-scrollbars",
        f"--user-data-dir={tempfile.mkdtemp(dir=work)}",
    ):  # fmt: skip
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)

    def shown(xpath: str):
        return WebDriverWait(browser, WAIT).until(
            lambda b: next((e for e in b.find_elements(By.XPATH, xpath) if e.is_displayed()), None)
        )

    def click(xpath: str) -> None:
        browser.execute_script("arguments[0].click()", shown(xpath))

    def button(label: str) -> str:
        return f"//button[normalize-space()='{label}' and not(@disabled)]"

    def wait_for(words: str) -> None:
        WebDriverWait(browser, WAIT).until(
            lambda b: words in b.find_element(By.TAG_NAME, "body").text
        )

    def choose(label: str, item: str) -> None:
        """Pick ``item`` in the select labelled ``label``."""
        click(f"//label[normalize-space()='{label}']/following-sibling::div[1]")
        click(f"{MENU}//div[contains(@class,'v-list-item__title') and normalize-space()='{item}']")

    try:
        browser.get(url)
        shown(button("Step"))
        for year in range(2016, 2016 + YEARS):
            click(button("Step"))
            wait_for(f"Year {year} finished")
        browser.save_screenshot(str(out / "watch.en.png"))
        click(button("中文"))
        wait_for(f"已完成{2016 + YEARS - 1}年")
        browser.save_screenshot(str(out / "watch.zh.png"))
        click(button("English"))
        wait_for("Headline outputs")

        # the shipped what-if "no integration" against the baseline with 4 seeds
        choose("Start from", "No integration")
        click("//*[contains(@class,'v-tab') and normalize-space()='What-if']")
        browser.set_window_size(1440, 1400)  # the effects table whole
        click(button("Run against the baseline"))
        wait_for("no_integration against the baseline")
        wait_for("Reading")
        browser.save_screenshot(str(out / "whatif.en.png"))
        click(button("中文"))
        wait_for("判断")
        browser.save_screenshot(str(out / "whatif.zh.png"))
    except BaseException:
        browser.save_screenshot(str(out / "failed.png"))  # where it stopped, to see why
        raise
    finally:
        browser.quit()
        server.send_signal(signal.SIGINT)
        server.wait(timeout=120)
        shutil.rmtree(work, ignore_errors=True)
    for name in ("watch.en", "watch.zh", "whatif.en", "whatif.zh"):
        print(out / f"{name}.png")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: screenshot_app.py OUT_FOLDER")
    main(Path(sys.argv[1]))
