"""What a batch's manifest records: each invocation, and each scenario's runs and texts."""

from __future__ import annotations

import hashlib
import json
import shlex
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.core import version
from sim.experiments.batch.provenance import git_state, now, versions
from sim.experiments.runs import RunSpec, params_json
from sim.experiments.scenarios.scenario import Scenario
from sim.experiments.store.errors import StoreError
from sim.experiments.store.layout import FORMAT, Key
from sim.experiments.store.quarantine import Repair

#: The latest invocation's provenance, also at the manifest's top level for readers.
TOP_KEYS = (
    "command", "started", "finished", "status", "model_version", "model_date", "identity",
    "packages", "git",
)  # fmt: skip
#: Entries of a batch's extra manifest entries that are recorded per invocation.
PER_INVOCATION = ("command", "master_seed", "set")


def invocation_record(
    specs: Sequence[RunSpec],
    todo: int,
    repaired: Repair,
    recomputed: set[Key],
    identity: Mapping[str, str | None],
    *,
    backend: str,
    zones: bool,
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    """The manifest's record of one invocation, as it starts (status ``running``).

    Args:
        specs: The runs the invocation asks for.
        todo: How many of them it computes (the others are stored).
        repaired: What the resume set aside.
        recomputed: Keys of the set-aside runs it computes again.
        identity: The model and packages the runs are computed with (without ``code``).
        backend: The backend's name.
        zones: Whether zone-year tables are kept.
        extra: The batch's extra manifest entries (:data:`PER_INVOCATION` are copied).
    """
    record: dict[str, Any] = {
        "command": shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "started": now(),
        "finished": None,
        "status": "running",
        "model_version": identity["model"],
        "model_date": version.DATE,
        "identity": dict(identity),
        "packages": versions(),
        "git": git_state(),
        "backend": backend,
        "zones": zones,
        "scenarios": dict(Counter(s.scenario for s in specs)),
        "runs": {
            "total": len(specs),
            "skipped": len(specs) - todo,
            "run": 0,
            "set_aside": len(repaired.runs),
            "recomputed": len(recomputed),
        },
        "quarantined": [p.name for p in repaired.moved],
    }
    record.update({key: extra[key] for key in PER_INVOCATION if key in extra})
    return record


def batch_manifest(
    previous: Mapping[str, Any],
    invocation: dict[str, Any],
    extra: Mapping[str, Any],
    runs: pd.DataFrame,
    *,
    owner: str,
) -> dict[str, Any]:
    """The manifest with ``invocation`` appended (its run counts shared, not copied).

    Args:
        previous: The manifest before this invocation (empty for a new batch).
        invocation: The invocation's record (:func:`invocation_record`).
        extra: Entries merged into the manifest, nested tables key by key.
        runs: The batch's run index (stored and new runs).
        owner: The command that owns the batch.
    """
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created": previous.get("created", invocation["started"]),
        "invocations": list(previous.get("invocations", [])),
        "scenarios": previous.get("scenarios", {}),
    }
    merge(manifest, extra)
    merge(manifest["scenarios"], scenario_summary(runs))
    manifest.update({k: invocation[k] for k in TOP_KEYS})
    manifest.update(
        backend=invocation["backend"], zones=invocation["zones"], runs=invocation["runs"],
        owner=owner,
    )  # fmt: skip
    manifest["invocations"].append(invocation)
    return manifest


def record_change(manifest: dict[str, Any], invocation: dict[str, Any], **changes: Any) -> None:
    """Set entries of the latest invocation, and of the manifest's top level (:data:`TOP_KEYS`)."""
    invocation.update(changes)
    manifest.update({k: invocation[k] for k in changes if k in TOP_KEYS})


def merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``extra`` into ``base`` in place, nested tables key by key; return ``base``."""
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value
    return base


def scenario_summary(runs: pd.DataFrame) -> dict[str, Any]:
    """Per scenario of a run index: horizon, runs, replicate seeds, shared parameters."""
    out: dict[str, Any] = {}
    for name, grp in runs.groupby("scenario", sort=False):
        params = grp["params"].unique()
        first = grp.drop_duplicates(["replicate", "seed"])
        seeds: dict[str, int] | str = {
            str(r): int(s) for r, s in zip(first["replicate"], first["seed"], strict=True)
        }
        if len(seeds) < len(first):
            seeds = f"{len(first)} runs under several master seeds (see runs.parquet)"
        elif len(seeds) > 1000:
            seeds = f"{len(seeds)} replicates (see runs.parquet)"
        out[str(name)] = {
            "start": int(grp["start"].min()),
            "end": int(grp["end"].max()),
            "runs": len(grp),
            "params": json.loads(params[0]) if len(params) == 1 else None,
            "seeds": seeds,
        }
    return out


def scenario_identity(sc: Scenario) -> str:
    """Hash of what a scenario's runs are computed from, whatever the master seed.

    Its resolved parameters, horizon and (with ``run.posterior``) the posterior file's
    content: two scenarios with the same identity run the same replicates.
    """
    posterior = None
    if sc.run.posterior:
        posterior = hashlib.sha256(Path(sc.run.posterior).read_bytes()).hexdigest()
    text = json.dumps(
        {
            "params": json.loads(params_json(sc.params)),
            "posterior": posterior,
            "start": sc.run.start,
            "end": sc.run.end,
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def scenario_entry(
    sc: Scenario, master: int, reps: int | None, settings: Mapping[str, Any]
) -> dict[str, Any]:
    """A scenario's manifest entry: file, question, design point, every text it ran from."""
    text = sc.source + (json.dumps(dict(settings), sort_keys=True) if settings else "")
    digest = hashlib.sha256(text.encode())  # the file's text alone when nothing was set
    return {
        "file": sc.path,
        "description": sc.description,
        "title": sc.title,
        "title_zh": sc.title_zh,
        "description_zh": sc.description_zh,
        "source": sc.source,
        "base": sc.base,
        "design": dict(sc.design),
        "identity": scenario_identity(sc),
        # every text of the scenario run into this folder, with its master seeds
        "versions": {
            digest.hexdigest()[:12]: {
                "file": sc.path,
                "source": sc.source,
                "set": dict(settings),
                "overrides": sc.overrides,
                "master_seeds": {str(master): reps or sc.run.replications},
            }
        },
    }


def check_scenarios(
    out: Path,
    manifest: Mapping[str, Any],
    stored: pd.DataFrame,
    new: pd.DataFrame,
    entries: Mapping[str, Any] | None,
) -> None:
    """Refuse a scenario whose parameters differ from those of its runs in the batch.

    A scenario's runs under any master seed must share its parameters: a scenario entry's
    ``identity`` (:func:`scenario_identity`) must be the stored one; without identities
    (a batch of an earlier version, or a call of :func:`~.execution.execute` with bare run
    specifications), a scenario of one parameter set must keep it. Sample designs
    (calibration, sensitivity: runs with a ``sample``) vary their parameters by design
    and are not checked.

    Raises:
        StoreError: Naming the scenario and what to do.
    """
    old = manifest.get("scenarios") or {}
    for name, grp in new.groupby("scenario", sort=False):
        entry = old.get(name)
        stored_identity = entry.get("identity") if isinstance(entry, Mapping) else None
        mine = ((entries or {}).get(name) or {}).get("identity")
        if stored_identity and mine:
            same = stored_identity == mine
        elif grp["sample"].isna().all():
            had = set(stored.loc[stored["scenario"] == name, "params"])
            have = set(grp["params"])
            same = not had or len(had) > 1 or len(have) > 1 or had == have
        else:
            same = True
        if not same:
            raise StoreError(
                f"scenario {name!r}: expected the parameters and horizon of its runs already "
                "in this batch, got different ones (an edited scenario, or other settings)",
                file=out,
                advice="a batch never pools two versions of a scenario, so give the changed "
                "scenario another name or run it into a new {out_dir} folder",
            )
