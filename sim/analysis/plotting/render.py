"""Figures rendered to PNG and SVG with Agg, the same bytes every time."""

from __future__ import annotations

import base64
import io

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def to_png(fig: Figure, *, dpi: int = 110) -> bytes:
    """Render a figure to PNG bytes with Agg."""
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def to_png_base64(fig: Figure, *, dpi: int = 110) -> str:
    """Render a figure to a base64 PNG (for ``data:image/png;base64,...`` URIs)."""
    return base64.b64encode(to_png(fig, dpi=dpi)).decode("ascii")


def to_svg(fig: Figure) -> str:
    """Render a figure to an SVG document (text as paths, so no font is needed to view it)."""
    FigureCanvasAgg(fig)
    buf = io.StringIO()
    with rc_context({"svg.fonttype": "path", "svg.hashsalt": "zonesim"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()
