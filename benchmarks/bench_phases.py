"""Where a run's time goes: per-phase time and firm-quarters per second.

Times full 2016-2035 runs (:func:`sim.core.run.simulate`) with a timer around each
phase of the model's step: firm dynamics (growth, level, exit), entry (projects,
start-ups, land check), the year end without its recording, the recording of the
annual and zone rows, the zones' Mesa steps, and the rest (the timeline, zone arrays,
the run's tables). Prints each phase's median seconds per run and share, the run's
median, and firm-quarters per second of the firm dynamics and of the whole run (each
living firm in each quarter counts once). A last line splits the run another way: the
compiled kernels (:data:`KERNELS`, every call the model makes into
``sim.core.firms.kernel``) against everything else, the interpreted part (Python, Mesa's
agent steps, NumPy's random draws and array calls, the tables): what a faster kernel
cannot remove.

``--morris`` times points of the sensitivity analysis's Morris design instead of the
defaults (every varied parameter, 20 trajectories, seed 0; ``--runs`` points spread over
the design): its corners carry more firms and zones than the defaults, so a Morris run
costs more than a default one.

Usage: ``python benchmarks/bench_phases.py [--runs 7] [--seed 0] [--reference] [--morris]``
(``--reference`` times the NumPy reference implementation of the firm kernel).
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
from collections import defaultdict

from sim.core import agents, firms, model, recording
from sim.core.firms import kernel
from sim.core.run import simulate

#: Timed functions: (owner, name, phase label); the model calls each through its owner.
PHASES = (
    (firms, "grow_and_exit", "firm dynamics"),
    (firms, "enter", "entry"),
    (model.ZoneReformModel, "_year_end", "year end"),
    (recording.Recorder, "record", "recording"),
    (agents.Zone, "step", "zone steps (Mesa)"),
)
#: The compiled kernels the model calls (through ``sim.core.firms.kernel``), timed together.
KERNELS = (
    "firm_dynamics", "order_statistic", "largest", "zone_census", "entry_choice",
    "place_entrants", "categories", "compact", "entrant_draws", "poisson_counts",
)  # fmt: skip


def _instrument(clock: dict[str, float], firm_quarters: list[int]) -> None:
    """Wrap each phase's function, and each kernel, with a timer adding to ``clock``."""
    for owner, name, label in (*PHASES, *((kernel, k, "compiled") for k in KERNELS)):
        fn = getattr(owner, name)

        @functools.wraps(fn)
        def timed(*args, fn=fn, label=label, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                clock[label] += time.perf_counter() - t

        setattr(owner, name, timed)
    dynamics = firms.grow_and_exit

    @functools.wraps(dynamics)
    def counted(m, *args, **kwargs):
        firm_quarters[0] += m.firms.n
        return dynamics(m, *args, **kwargs)

    firms.grow_and_exit = counted


def _morris_points(k: int) -> list[dict]:
    """``k`` points spread evenly over the default Morris design (seed 0)."""
    from sim.analysis.sensitivity import build_problem, make_design
    from sim.analysis.sensitivity.problem import to_overrides

    problem = build_problem(None)
    design = make_design("morris", problem, 20, seed=0)
    rows = design.X[:: max(1, len(design.X) // k)][:k]
    return to_overrides(problem, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reference", action="store_true", help="time the NumPy reference")
    parser.add_argument("--morris", action="store_true", help="time Morris design points")
    args = parser.parse_args()
    points = _morris_points(args.runs) if args.morris else [None] * args.runs
    if args.reference:
        from sim.core.firms import kernel

        kernel.use("numpy")
    simulate(seed=args.seed, end=2017)  # warm-up: imports, registry, compiled kernel
    clock: dict[str, float] = defaultdict(float)
    firm_quarters = [0]
    _instrument(clock, firm_quarters)
    per_run: dict[str, list[float]] = defaultdict(list)
    totals, fq = [], []
    for k, params in enumerate(points):
        clock.clear()
        firm_quarters[0] = 0
        t = time.perf_counter()
        simulate(params, seed=args.seed + k, end=2035)
        total = time.perf_counter() - t
        totals.append(total)
        fq.append(firm_quarters[0])
        own = dict(clock)
        per_run["compiled"].append(own.pop("compiled", 0.0))  # a split across the phases
        own["year end"] -= own["recording"]  # recording runs inside the year end
        own["other"] = total - sum(own.values())
        for label, s in own.items():
            per_run[label].append(s)
    m_total = statistics.median(totals)
    what = "Morris design points" if args.morris else "runs at the defaults"
    print(f"{args.runs} {what}, 2016-2035, median {m_total * 1000:.1f} ms per run")
    print(f"{'phase':<20} {'ms/run':>8} {'share':>7}")
    for label in [p[2] for p in PHASES] + ["other"]:
        m = statistics.median(per_run[label])
        print(f"{label:<20} {m * 1000:>8.1f} {m / m_total:>7.1%}")
    m_fq = statistics.median(fq)
    m_dyn = statistics.median(per_run["firm dynamics"])
    print(
        f"firm-quarters per run: {m_fq:,.0f}; firm dynamics {m_fq / m_dyn / 1e6:.1f} M/s "
        f"({m_dyn / m_fq * 1e9:.1f} ns each); whole run {m_fq / m_total / 1e6:.2f} M/s"
    )
    compiled = statistics.median(per_run["compiled"])
    kernels = "kernel functions (NumPy reference)" if args.reference else "compiled kernels"
    print(
        f"{kernels} {compiled * 1000:.1f} ms ({compiled / m_total:.0%}); interpreted "
        f"(Python, Mesa, NumPy calls, tables) {(m_total - compiled) * 1000:.1f} ms"
        f" ({1 - compiled / m_total:.0%})"
    )


if __name__ == "__main__":
    main()
