"""``zonesim app``: the interactive explorer in the browser, served on this machine."""

from __future__ import annotations

import argparse
import errno
import socket

from sim.cli import UsageError
from sim.cli.options import int_at_least, positive_int


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``app`` subcommand."""
    p = sub.add_parser(
        "app",
        help="open the interactive explorer in the browser (watch a run, try a what-if)",
        description=(
            "Serves the explorer on this machine and prints its address: watch one run "
            "step by step on the prefecture map, change levers and modes, run a what-if "
            "against the baseline with paired seeds, save it as a scenario file, open a "
            "batch folder. Ctrl-C stops it."
        ),
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    p.add_argument(
        "--port",
        type=int_at_least(0, 65536),
        default=8765,
        help="port (default: %(default)s; 0 picks a free one)",
    )
    p.add_argument(
        "--workers",
        metavar="W",
        type=positive_int,
        help="worker processes of the what-if runs (default: all cores)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serve the explorer until Ctrl-C."""
    from sim.app import server

    if server.missing():
        raise UsageError(
            f"the explorer needs {', '.join(server.missing())}: install the app extra "
            "(pip install 'shanxi-zonesim[app]')"
        )
    try:
        server.serve(args.host, args.port, workers=args.workers)
    except socket.gaierror:
        raise UsageError(f"--host {args.host}: not a known address") from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"--port {args.port}: already in use on {args.host}; choose another port "
                "(--port 0 picks a free one)"
            ) from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise UsageError(f"--host {args.host}: not an address of this machine") from None
        raise
    return 0
