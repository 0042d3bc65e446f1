"""``zonesim brief``: write a policy brief (HTML and Markdown) for batch folders."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sim.cli import UsageError
from sim.core.lang import LANGS


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``brief`` subcommand."""
    p = sub.add_parser(
        "brief",
        help="write a what-if policy brief (self-contained HTML plus Markdown) for batches",
        description=(
            "For every scenario other than the baseline: the question, headline effects "
            "with intervals (paired over common seeds), fan charts, the mode comparison, "
            "zones that lost status, methods and assumptions, and provenance. With --pdf, "
            "also an A4 PDF printed by headless Chromium."
        ),
    )
    p.add_argument("results", nargs="+", metavar="RESULTS_DIR", type=Path, help="batch folder(s)")
    p.add_argument(
        "--baseline", metavar="NAME", help="baseline scenario (default: 'baseline' or the first)"
    )
    p.add_argument("--lang", choices=LANGS, default="en", help="language (default: en)")
    p.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        help="HTML file (default: RESULTS_DIR/brief.LANG.html); Markdown beside it (.md)",
    )
    p.add_argument(
        "--calibration",
        metavar="DIR",
        type=Path,
        help="calibration output folder to report (default: none)",
    )
    p.add_argument(
        "--sensitivity",
        metavar="DIR",
        type=Path,
        action="append",
        help="sensitivity output folder to report (repeatable; default: none)",
    )
    p.add_argument(
        "--robustness",
        metavar="DIR",
        type=Path,
        help="`zonesim explore` folder: adds the 'which mode, how sure' section",
    )
    p.add_argument(
        "--allow-missing",
        action="store_true",
        help="build from the stored runs of a batch that lists runs it does not store "
        "(unfinished or corrupt; the brief warns of them) instead of stopping",
    )
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="replace files of the output's names that a brief did not write (never a "
        "batch's or another command's file)",
    )
    p.add_argument(
        "--pdf",
        action="store_true",
        help="also print the HTML to an A4 PDF beside it with headless Chromium",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the brief in memory, then write it."""
    from sim.analysis import brief
    from sim.analysis.brief.pdf import find_chromium, write_pdf
    from sim.experiments.outfolder import check_brief_targets

    out = args.out if args.out is not None else args.results[0] / f"brief.{args.lang}.html"
    if out.is_dir():
        raise UsageError(f"--out {out}: expected a file name (.html or .md), got a folder")
    also = [brief.output_paths(out)[0].with_suffix(".pdf")] if args.pdf else []
    check_brief_targets(*brief.output_paths(out), also=also, overwrite=args.overwrite)
    chromium = find_chromium() if args.pdf else None  # before building or writing anything
    calibration = None
    if args.calibration is not None:
        if not args.calibration.is_dir():
            raise UsageError(f"--calibration {args.calibration}: expected a folder")
        calibration = brief.read_calibration(args.calibration)
        if calibration is None:
            raise UsageError(
                f"--calibration {args.calibration}: expected a `zonesim calibrate` output "
                "folder (validation.csv), found none"
            )
    sensitivity = None
    if args.sensitivity:
        sensitivity = []
        for folder in args.sensitivity:
            found = brief.read_sensitivity(folder)
            if found is None:
                raise UsageError(
                    f"--sensitivity {folder}: expected a `zonesim sensitivity` output folder "
                    "(convergence.parquet and summary.json), found none"
                )
            sensitivity.append(found)
    t0 = time.perf_counter()

    def say(phase: str) -> None:  # one line per phase, so a long build is never silent
        print(f"brief.{args.lang}: {phase} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)

    built = brief.build_brief(
        args.results,
        baseline=args.baseline,
        lang=args.lang,
        calibration=calibration,
        sensitivity=sensitivity,
        robustness=args.robustness,
        allow_missing=args.allow_missing,
        progress=None if args.quiet else say,
    )
    page, md, _ = brief.output_paths(out)
    if not args.quiet:
        say(f"writing {page} and its figures")
    brief.write_brief(built, out, overwrite=args.overwrite, also=also)
    print(page)
    print(md)
    if args.pdf:
        if not args.quiet:
            say("printing the PDF")
        print(write_pdf(page, page.with_suffix(".pdf"), chromium=chromium))
    return 0
