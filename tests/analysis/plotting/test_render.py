"""Figures rendered to PNG and SVG, the same bytes every time."""

from __future__ import annotations

from sim.analysis import plotting

from .helpers import synthetic_annual


def test_png_and_svg_output() -> None:
    fig = plotting.fan_chart(synthetic_annual(), "firms")
    png = plotting.to_png(fig)
    assert png.startswith(b"\x89PNG")
    assert plotting.to_png(fig) == png  # deterministic
    assert plotting.to_png_base64(fig).startswith("iVBOR")
    svg = plotting.to_svg(fig)
    assert svg.lstrip().startswith("<?xml") and "<text" not in svg  # text as paths
