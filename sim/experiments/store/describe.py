"""Runs in words: counts, lists by scenario, and the commands that recompute them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from sim.experiments.seeds import replicate_seed


def run_counts(counts: Mapping[str, int]) -> str:
    """``"5 ran, 20 reused"``, with the runs set aside and recomputed after a quarantine.

    Args:
        counts: An invocation's ``runs`` entry (``run``, ``skipped``, and ``set_aside``
            and ``recomputed`` where a quarantine set runs aside).
    """
    text = f"{counts.get('run', 0)} ran, {counts.get('skipped', 0)} reused"
    set_aside = counts.get("set_aside", 0)
    if set_aside:
        recomputed = counts.get("recomputed", 0)
        text += f"; {recomputed} of the {set_aside} run(s) set aside in quarantine recomputed" + (
            f", {set_aside - recomputed} still missing" if recomputed < set_aside else ""
        )
    return text


def describe_runs(runs: pd.DataFrame, limit: int = 12) -> str:
    """Runs in words, scenario by scenario: ``baseline replicates 0, 1 (seeds 5, 7)``.

    At most ``limit`` runs are named; the rest are counted.
    """
    parts, named = [], 0
    for name, grp in runs.groupby("scenario", sort=False):
        grp = grp.iloc[: max(limit - named, 0)]
        if grp.empty:
            break
        named += len(grp)
        sampled = grp["sample"].notna().all()
        ids = (grp["sample"] if sampled else grp["replicate"]).astype(int).astype(str)
        kind = ("sample" if sampled else "replicate") + ("s" if len(grp) > 1 else "")
        seeds = ", ".join(grp["seed"].astype(int).astype(str))
        plural = "s" if len(grp) > 1 else ""
        parts.append(f"{name} {kind} {', '.join(ids)} (seed{plural} {seeds})")
    more = f" and {len(runs) - named} more" if named < len(runs) else ""
    return "; ".join(parts) + more


def recompute_commands(
    manifest: Mapping[str, Any], runs: pd.DataFrame
) -> list[tuple[str, pd.DataFrame]]:
    """The recorded commands that compute ``runs``, each with the runs it covers.

    A run belongs to the latest invocation that asked for its scenario with the master
    seed that gives the run's seed (for a sample design, the latest that asked for its
    scenario); runs no invocation claims go with the latest command.
    """
    invocations = [i for i in manifest.get("invocations", []) if isinstance(i, dict)]
    owner: list[str | None] = []
    for r in runs.itertuples(index=False):
        found = None
        for inv in reversed(invocations):
            asked = inv.get("scenarios")
            if isinstance(asked, dict) and r.scenario not in asked:
                continue
            master = inv.get("master_seed")
            if (
                pd.isna(r.sample)
                and isinstance(master, int)
                and master >= 0
                and replicate_seed(master, int(r.replicate)) != int(r.seed)
            ):
                continue
            found = inv.get("command")
            break
        owner.append(found or (invocations[-1].get("command") if invocations else None))
    out = []
    for command in dict.fromkeys(owner):
        mask = [o == command for o in owner]
        out.append((command or "the command that made this batch", runs[mask]))
    return out


def recompute_advice(commands: Sequence[tuple[str, pd.DataFrame]]) -> str:
    """``recompute them by running again `cmd` (stored runs are reused)`` and the like."""
    if len(commands) == 1:
        return f"recompute them by running again `{commands[0][0]}` (stored runs are reused)"
    each = "; ".join(f"`{cmd}` for {describe_runs(runs)}" for cmd, runs in commands)
    return f"recompute them by running again (stored runs are reused): {each}"
