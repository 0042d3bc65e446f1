"""Save a PNG of a brief's first screen: ``screenshot_brief.py HTML PNG [--size 1366x768]``.

The default size is a common laptop screen (1366 × 768 CSS pixels): what a reader sees on
opening the brief, before scrolling.
"""

from __future__ import annotations

import argparse

from sim.analysis.brief.pdf import write_screenshot


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    try:
        return int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", help="the brief (an .html file)")
    parser.add_argument("png", help="where to write the screenshot")
    parser.add_argument("--size", type=_size, default=(1366, 768), help="WIDTHxHEIGHT")
    args = parser.parse_args()
    print(write_screenshot(args.html, args.png, size=args.size))
