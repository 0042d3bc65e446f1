"""Save a PNG of a brief's first screen (for the README): ``screenshot_brief.py HTML PNG``."""

from __future__ import annotations

import sys

from sim.analysis.brief.pdf import write_screenshot

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: screenshot_brief.py BRIEF.html OUT.png")
    print(write_screenshot(sys.argv[1], sys.argv[2]))
