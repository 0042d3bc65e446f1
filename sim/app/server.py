"""The explorer's web server: the Solara app of :mod:`sim.app.page` on localhost.

:func:`serve` binds the address first (so it can print the real one, port 0 picking a
free port), then runs Solara's ASGI app under uvicorn until Ctrl-C (or SIGTERM), and
closes the runs' process pool on the way out. The page needs no network: Solara's
telemetry and the font downloads from a CDN are switched off.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import sys
import warnings
from typing import TextIO

#: The page Solara serves.
APP = "sim.app.page:Page"
#: Default address.
HOST, PORT = "127.0.0.1", 8765
#: Seconds the server waits for open pages to disconnect after Ctrl-C.
GRACE_SECONDS = 2

#: Modules of the app extra (``pip install 'shanxi-zonesim[app]'``).
NEEDS = ("solara", "uvicorn", "altair", "tomli_w")


def missing() -> list[str]:
    """The modules of :data:`NEEDS` that are not installed."""
    return [m for m in NEEDS if importlib.util.find_spec(m) is None]


#: Solara settings (environment variables, read when Solara's server is imported).
SOLARA_ENV = {
    "SOLARA_APP": APP,
    "SOLARA_MODE": "production",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_FONTAWESOME_ENABLED": "False",
    "SOLARA_THEME_SHOW_BANNER": "False",
}


def bind(host: str, port: int) -> socket.socket:
    """A listening socket at ``host:port`` (port 0: any free port).

    Raises:
        OSError: If the address is taken or cannot be bound.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def url(sock: socket.socket) -> str:
    """The address a bound socket serves, as a browser takes it."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(
    host: str = HOST, port: int = PORT, *, workers: int | None = None, out: TextIO | None = None
) -> None:
    """Serve the explorer until interrupted.

    Args:
        host: Address to listen on (default: this machine only).
        port: Port (0: any free one).
        workers: Worker processes of the what-ifs' runs (default: every core).
        out: Where the address and the stop notice are printed (default: stdout).

    Raises:
        OSError: If the address cannot be bound (nothing was started).
    """
    out = out or sys.stdout
    sock = bind(host, port)
    os.environ.update(SOLARA_ENV)
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = str(host), str(sock.getsockname()[1])
    import uvicorn
    from solara.server import settings

    settings.main.mode = "production"
    settings.telemetry.mixpanel_enable = False
    settings.assets.fontawesome_enabled = False
    settings.theme.show_banner = False
    import solara.server.starlette

    from sim.app.page import parts, state

    state.WORKERS = workers
    state.runner().start()  # from this (the main) thread: see Runner.start
    parts.font_css()  # made once, before the first page
    config = uvicorn.Config(
        solara.server.starlette.app,
        log_level="warning",
        timeout_graceful_shutdown=GRACE_SECONDS,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    # A local server without TLS: Solara's note on secure cookies says nothing to act on.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    # uvicorn stops on SIGINT and SIGTERM, then raises the signal again: both end here.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    print(f"zonesim app: serving on {url(sock)} (Ctrl-C stops it)", file=out, flush=True)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        state.close_runner()
        sock.close()
        print("zonesim app: stopped", file=out, flush=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
