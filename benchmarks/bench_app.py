"""Time the explorer's what-ifs in the browser and measure the page's memory.

Starts ``zonesim app`` and drives it with headless Chromium (selenium, as the browser
test does):

1. for each seed count (default 4 and 20), a fresh server: the time from the click on
   "Run against the baseline" to the effects table, for the what-if of the page's first
   mode rule (every zone corporate from 2020, 2016-2035; a what-if with the baseline's
   own levers would share the baseline's runs); the first what-if of a server runs the
   baseline too (2 x seeds runs), so this is the slowest a what-if gets;
2. on the last server, ``--whatifs`` more what-ifs (2016-2017, each with a new master
   seed so that none reuses a run), then the server process's resident memory (its
   worker processes are listed apart) and its peak.

Needs Chromium and chromedriver on the PATH. Usage:
``python benchmarks/bench_app.py [--seeds 4 20] [--whatifs 50] [--workers 2]``
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ZONESIM = Path(sys.executable).with_name("zonesim")
WAIT = 900


def memory_kib(pid: int) -> tuple[int, int]:
    """Resident and peak resident memory of a process, KiB (Linux)."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    return rss, hwm


def children(pid: int) -> list[int]:
    """Process ids below ``pid`` (the runs' fork server and workers)."""
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                ppid = int(re.search(r"PPid:\s+(\d+)", (proc / "status").read_text()).group(1))
            except (OSError, AttributeError):
                continue
            if ppid == pid:
                out.append(int(proc.name))
    return out + [c for p in out for c in children(p)]


class Page:
    """One browser on one server."""

    def __init__(self, workers: int, folder: Path) -> None:
        self.server = subprocess.Popen(
            [str(ZONESIM), "app", "--port", "0", "--workers", str(workers)],
            cwd=folder,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        line = self.server.stdout.readline()
        self.url = re.search(r"(http://\S+)", line).group(1)
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
        for arg in (
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", "--window-size=1500,1100",
            f"--user-data-dir={tempfile.mkdtemp(dir=folder)}",
        ):  # fmt: skip
            options.add_argument(arg)
        self.browser = webdriver.Chrome(
            service=Service(shutil.which("chromedriver")), options=options
        )
        started = time.perf_counter()
        self.browser.get(self.url)
        self.shown("//button[normalize-space()='Step' and not(@disabled)]")
        self.load_seconds = time.perf_counter() - started
        self.shown("//*[contains(@class,'v-tab') and normalize-space()='What-if']").click()
        self.shown("//button[normalize-space()='Add a rule' and not(@disabled)]").click()
        WebDriverWait(self.browser, WAIT).until(lambda b: "From: 2020" in self.text())

    def shown(self, xpath: str):
        """The first displayed element at ``xpath``, once there is one."""
        return WebDriverWait(self.browser, WAIT).until(
            lambda b: next((e for e in b.find_elements(By.XPATH, xpath) if e.is_displayed()), None)
        )

    def text(self) -> str:
        """The page's text as shown."""
        return self.browser.find_element(By.TAG_NAME, "body").text

    def slider(self, label: str, keys: list[str], shows: str) -> None:
        """Move the slider whose label starts with ``label`` by keys, until ``shows``."""
        thumb = self.shown(f"//*[@role='slider' and starts-with(@aria-label, '{label}')]")
        self.browser.execute_script("arguments[0].focus()", thumb)
        ActionChains(self.browser).send_keys(*keys).perform()
        WebDriverWait(self.browser, WAIT).until(lambda b: shows in self.text())

    def set_seed(self, seed: int) -> None:
        """Type a master seed."""
        box = self.shown("//label[normalize-space()='Master seed']/following-sibling::input")
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(str(seed), Keys.ENTER)

    def run(self, seed: int) -> float:
        """Seconds from the click to the effects of the what-if with ``seed``."""
        button = self.shown(
            "//button[normalize-space()='Run against the baseline' and not(@disabled)]"
        )
        started = time.perf_counter()
        button.click()
        WebDriverWait(self.browser, WAIT).until(
            lambda b: f"master seed {seed};" in self.text() and "Reading" in self.text()
        )
        return time.perf_counter() - started

    def close(self) -> None:
        """Close the browser and stop the server (Ctrl-C)."""
        self.browser.quit()
        self.server.send_signal(signal.SIGINT)
        self.server.wait(timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[4, 20])
    parser.add_argument("--whatifs", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench_app_"))
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {args.workers} workers")
    page = None
    for n in args.seeds:
        if page is not None:
            page.close()
        page = Page(args.workers, folder)
        print(f"page loaded in {page.load_seconds:.1f} s")
        keys = [Keys.HOME] + [Keys.ARROW_RIGHT] * (n - 2)  # the slider starts at 2 seeds
        page.slider("Seeds", keys, f"Seeds (paired replicates): {n}")
        seconds = page.run(20170401)
        print(
            f"{n:>3} seeds, 2016-2035, first what-if ({2 * n} runs): "
            f"{seconds:.1f} s from click to effects"
        )
    assert page is not None
    page.slider("Seeds", [Keys.HOME, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT], "paired replicates): 4")
    page.slider("Last year", [Keys.HOME], "Last year: 2017")
    before = memory_kib(page.server.pid)
    times = []
    for i in range(args.whatifs):
        page.set_seed(1000 + i)
        times.append(page.run(1000 + i))
    rss, hwm = memory_kib(page.server.pid)
    workers = [memory_kib(p)[0] for p in children(page.server.pid)]
    print(
        f"{args.whatifs} more what-ifs (4 seeds, 8 runs, 2016-2017, new seeds each): "
        f"median {sorted(times)[len(times) // 2]:.1f} s each"
    )
    print(
        f"server process memory: {before[0] / 1024:.0f} MiB before, {rss / 1024:.0f} MiB "
        f"after (peak {hwm / 1024:.0f} MiB); worker processes "
        f"{', '.join(f'{w / 1024:.0f}' for w in workers)} MiB"
    )
    page.close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
