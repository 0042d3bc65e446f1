"""``zonesim brief``: write a policy brief (HTML and Markdown) for batch folders."""

from __future__ import annotations

import argparse
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
        "--pdf",
        action="store_true",
        help="also print the HTML to an A4 PDF beside it with headless Chromium",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the brief in memory, then write it."""
    from sim.analysis import brief
    from sim.analysis.brief.pdf import find_chromium, write_pdf

    out = args.out if args.out is not None else args.results[0] / f"brief.{args.lang}.html"
    if out.is_dir():
        raise UsageError(f"--out {out}: expected a file name (.html or .md), got a folder")
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
    built = brief.build_brief(
        args.results,
        baseline=args.baseline,
        lang=args.lang,
        calibration=calibration,
        sensitivity=sensitivity,
        robustness=args.robustness,
    )
    page, md, _ = brief.output_paths(out)
    brief.write_brief(built, out)
    print(page)
    print(md)
    if args.pdf:
        print(write_pdf(page, page.with_suffix(".pdf"), chromium=chromium))
    return 0
