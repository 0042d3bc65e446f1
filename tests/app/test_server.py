"""The explorer's server: on localhost, its address printed, stopped cleanly."""

from __future__ import annotations

import signal
import socket

import pytest

from .helpers import get


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_app_serves_on_localhost_and_stops_cleanly(app, stop: signal.Signals) -> None:
    proc, url = app("--workers", "1")
    page = get(url)
    assert "solara" in page.lower()
    # the page's front end comes from the installed packages, not from a CDN
    assert "requirejs" in get(url + "_solara/cdn/requirejs@2.3.6/require.js").lower()
    proc.send_signal(stop)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.strip().splitlines()[-1] == "zonesim app: stopped"
    assert "Traceback" not in err and "warn" not in err.lower(), err
    port = int(url.rsplit(":", 1)[1].strip("/"))
    with pytest.raises(OSError):  # nothing listens any more
        socket.create_connection(("127.0.0.1", port), 2).close()
