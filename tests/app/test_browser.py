"""The explorer in headless Chromium: load, step, change a lever, run a what-if, save it."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest

from sim.analysis.brief.pdf import find_chromium
from sim.app.text import text
from sim.cli import main
from sim.experiments.scenarios import load_scenario

#: Seconds a step of the page may take (two shared cores, a busy machine).
WAIT = 180


@pytest.mark.slow
@pytest.mark.requires_program("chromium", "chromedriver")
def test_explorer_in_headless_chromium(app, tmp_path: Path) -> None:
    chromium, driver_path = find_chromium(), shutil.which("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    _, url = app("--workers", "2")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1500,1100",
        f"--user-data-dir={tempfile.mkdtemp(dir=tmp_path)}",
    ):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(driver_path), options=options)

    def shown(xpath: str):
        return WebDriverWait(browser, WAIT).until(
            lambda b: next((e for e in b.find_elements(By.XPATH, xpath) if e.is_displayed()), None)
        )

    def button(label: str):
        return shown(f"//button[normalize-space()='{label}' and not(@disabled)]")

    def page_text() -> str:
        return browser.find_element(By.TAG_NAME, "body").text

    def wait_for(words: str) -> None:
        WebDriverWait(browser, WAIT).until(lambda b: words in page_text())

    try:
        browser.get(url)
        wait_for(text("title", "en"))
        wait_for(text("not_started", "en"))

        # watch one run: Step is Mesa's controller, one year a click
        button("Step").click()
        wait_for(text("year_now", "en", year=2016))
        assert browser.find_elements(By.CSS_SELECTOR, "img"), "no map or chart drawn"

        # change the last year (a bounded slider: Home is its lower bound) and a lever
        thumb = shown("//*[@role='slider' and starts-with(@aria-label, 'Last year')]")
        browser.execute_script("arguments[0].focus()", thumb)
        ActionChains(browser).send_keys(Keys.HOME).perform()
        wait_for("Last year: 2017")
        shown("//button[contains(normalize-space(.), 'Reform timeline')]").click()
        shown("//label[normalize-space()='integration_on']").click()
        wait_for(f"= 0 ({text('changed', 'en')})")
        wait_for("Seeds (paired replicates): 4")

        # the what-if: 4 paired seeds, in the background, with its effect and interval
        shown(
            f"//*[contains(@class, 'v-tab') and normalize-space()='{text('tab_whatif', 'en')}']"
        ).click()
        # a what-if that cannot run says why on one line, and the page keeps working
        name = shown("//label[starts-with(normalize-space(), 'Name')]/following-sibling::input")
        name.send_keys(Keys.CONTROL, "a")
        name.send_keys("baseline", Keys.ENTER)
        button(text("run", "en")).click()
        wait_for("The what-if failed: what-if: name: expected a name other than 'baseline'")
        name.send_keys(Keys.CONTROL, "a")
        name.send_keys("whatif", Keys.ENTER)
        started = time.monotonic()
        button(text("run", "en")).click()
        wait_for(text("verdict", "en"))
        seconds = time.monotonic() - started
        body = page_text()
        assert "whatif against the baseline: 4 paired seeds" in body
        assert "95 % interval of the mean" in body and " to " in body
        rows = browser.find_elements(By.CSS_SELECTOR, "table.zs-table tbody tr")
        assert len(rows) == 6, body  # the six headline metrics in 2017
        assert seconds < WAIT

        # save as scenario: `zonesim validate` accepts the file, which is the page's what-if
        button(text("save", "en")).click()
        wait_for("Saved")
        saved = tmp_path / "whatif.toml"
        assert main(["validate", str(saved)]) == 0
        sc = load_scenario(saved)
        assert sc.params["integration_on"] == 0.0
        assert (sc.run.end, sc.run.replications) == (2017, 4)

        # Chinese: the same page in the other language
        button("中文").click()
        wait_for(text("tab_whatif", "zh"))
        wait_for(text("verdict", "zh"))

        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == [], errors
    finally:
        browser.quit()
