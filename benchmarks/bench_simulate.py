"""Time a full 2016-2035 run against a plain Mesa baseline, in one process.

The baseline is the naive design the model avoids: 43,031 one-object-per-firm Mesa
agents doing a trivial ``shuffle_do("step")`` 80 times (one per quarter). Both are
timed in the same process, alternately, so machine load affects them alike.

Firm agents are views made on demand (see ``sim.core.firms``); the second
figure times a run that then calls ``model.enterprise_agents()``, which creates every
living firm's view. The last line is the ratio of the medians, run / plain Mesa (the
target is at most 0.05).

Usage: ``python benchmarks/bench_simulate.py [--repeats 7] [--seed 0]``
"""

from __future__ import annotations

import argparse
import statistics
import time

import mesa

from sim.core.run import simulate

FIRMS_2018 = 43_031
QUARTERS = 80


class _PlainFirm(mesa.Agent):
    def step(self) -> None:
        self.size = getattr(self, "size", 1.0) * 1.01


class _PlainModel(mesa.Model):
    def __init__(self, n: int, seed: int) -> None:
        super().__init__(rng=seed)
        _PlainFirm.create_agents(self, n)

    def step(self) -> None:
        self.agents_by_type[_PlainFirm].shuffle_do("step")


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _plain(seed: int) -> None:
    model = _PlainModel(FIRMS_2018, seed)
    for _ in range(QUARTERS):
        model.step()


def main() -> None:
    """Print medians (and ranges) of the timings and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    simulate(seed=args.seed, end=2017)  # warm-up: imports, registry, the cached kernel
    ours, with_agents, plain, firms = [], [], [], []
    for k in range(args.repeats):
        t = time.perf_counter()
        result = simulate(seed=args.seed + k, end=2035)
        ours.append(time.perf_counter() - t)
        firms.append(int(result.annual["firms"].min()))
        t = time.perf_counter()
        result = simulate(seed=args.seed + k, end=2035)
        n_agents = len(result.model.enterprise_agents())
        with_agents.append(time.perf_counter() - t)
        plain.append(_time(lambda k=k: _plain(args.seed + k)))
    m_plain = statistics.median(plain)
    print(f"firms: at least {min(firms):,} in every year; {n_agents:,} agents at the end")
    for label, ts in (("simulate 2016-2035", ours), ("simulate + all agents", with_agents)):
        m = statistics.median(ts)
        print(
            f"{label}: median {m:.3f} s (min {min(ts):.3f}, max {max(ts):.3f});"
            f" plain Mesa / this = {m_plain / m:.1f}x"
        )
    print(
        f"plain Mesa, {FIRMS_2018:,} agents x {QUARTERS} shuffle_do steps: median {m_plain:.3f} s"
        f" (min {min(plain):.3f}, max {max(plain):.3f})"
    )
    ratio = statistics.median(ours) / m_plain
    print(f"ratio to the plain-Mesa yardstick: {ratio:.3f} (target <= 0.05)")


if __name__ == "__main__":
    main()
