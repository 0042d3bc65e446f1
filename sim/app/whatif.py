"""What-ifs: the scenario being edited, its runs against the baseline, saving it.

A :class:`Draft` is the scenario the page edits: a shipped scenario to start from, every
registry parameter's value, the mode assignments and the run settings (last year, seeds,
master seed). :meth:`Draft.doc` writes it as the mapping a scenario file holds, which
:func:`sim.experiments.scenarios.load_doc` checks exactly as it checks a file.

:func:`specs` pairs the draft with the shipped baseline under the same run settings
(replicate ``k`` of both runs with seed ``k`` of the master seed, and posterior draw ``k``
where the draft draws from a posterior); :class:`Runner` runs them through
:func:`sim.experiments.runs.run_chunk` (the run boundary) on a backend of
:mod:`sim.experiments.backends`, reusing finished runs (same run id, same result);
:func:`outcome` turns the runs into the brief's headline table
(:func:`sim.analysis.brief.headline_effects`) with the brief's verdict words.

:func:`save` writes the draft as a TOML scenario file, checked by
:func:`sim.experiments.scenarios.check_file` before it replaces anything, so the file
``zonesim validate`` and ``zonesim run`` read is the one the page ran.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from sim.analysis import plotting
from sim.analysis.brief import BriefData, headline_effects
from sim.analysis.brief.formatting import fmt_interval, fmt_number, fmt_param, mode_rule, signed
from sim.analysis.brief.overview import verdict
from sim.analysis.brief.sections import VERDICT_COLOURS
from sim.analysis.brief.text import text as brief_text
from sim.app.levers import snap, values_of
from sim.app.text import text
from sim.core.outputs import better
from sim.core.params import MODE_ASSIGNMENTS, REGISTRY
from sim.errors import ZonesimError
from sim.experiments.backends import Backend, make_backend
from sim.experiments.batch import scenario_specs
from sim.experiments.fileio import atomic_write
from sim.experiments.runs import RunOutput, RunSpec, code_identity, run_chunk
from sim.experiments.scenarios import (
    Scenario,
    ScenarioError,
    check_file,
    find_scenario,
    load_doc,
    load_scenario,
)

#: The scenario every what-if is compared with.
BASELINE = "baseline"
#: Seeds (paired replicates) a what-if may run: at least two for an interval.
MIN_SEEDS, MAX_SEEDS, DEFAULT_SEEDS = 2, 50, 4
#: Last years a what-if may run to.
MIN_END, MAX_END = 2017, 2035
#: Finished runs kept for reuse (annual tables only, a few kB each).
CACHE_RUNS = 500


class Cancelled(ZonesimError):
    """The what-if was cancelled (by the user) before its runs finished."""


def error_line(exc: BaseException) -> str:
    """An error on one line: a scenario or parameter error's message, else ``Type: message``."""
    lines = str(exc).strip().splitlines()
    first = lines[0] if lines else ""
    if isinstance(exc, ValueError | FileNotFoundError | FileExistsError) and first:
        return first
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


@dataclass(frozen=True)
class Draft:
    """The scenario being edited.

    Attributes:
        origin: The shipped scenario it started from (loaded, validated).
        name: Its name (a scenario file's ``name``).
        values: Every registry parameter's value.
        modes: Mode assignments (``year``, ``mode``, ``zones``), in order.
        seeds: Paired replicates of a what-if.
        seed: Master seed.
        end: Last year simulated.
    """

    origin: Scenario = field(repr=False)
    name: str
    values: Mapping[str, float] = field(repr=False)
    modes: tuple[Mapping[str, Any], ...]
    seeds: int
    seed: int
    end: int

    @property
    def posterior(self) -> str | None:
        """The calibration posterior the replicates draw from (the origin's), or ``None``."""
        return self.origin.run.posterior

    def overrides(self) -> dict[str, float]:
        """Parameters whose value differs from the registry's default, in registry order."""
        return {k: v for k, v in self.values.items() if v != float(REGISTRY[k].default)}

    def changes(self) -> list[str]:
        """Parameters whose value differs from the origin's, in registry order."""
        base = values_of(self.origin.params)
        return [k for k, v in self.values.items() if v != base[k]]

    @property
    def modes_changed(self) -> bool:
        """Whether the mode assignments differ from the origin's."""
        return list(self.modes) != list(self.origin.params[MODE_ASSIGNMENTS])

    def with_value(self, name: str, value: Any) -> Draft:
        """The draft with one parameter set (clipped to its bounds, on its slider's grid)."""
        return replace(self, values={**self.values, name: snap(REGISTRY[name], value)})

    def description(self, lang: str) -> str:
        """The question: the origin's, or the origin's title with what the page changed."""
        zh = lang == "zh"
        question = (self.origin.description_zh if zh else "") or self.origin.description
        parts = [f"{k} = {fmt_param(self.values[k], lang)}" for k in self.changes()]
        if self.modes_changed:
            parts += [mode_rule(dict(m), lang) for m in self.modes]
        if not parts:
            return question
        start = (self.origin.title_zh if zh else self.origin.title) or self.origin.name
        sep = "；" if zh else "; "
        return text("draft_description", lang, start=start, changes=sep.join(parts))

    def doc(self) -> dict[str, Any]:
        """The draft as a scenario file's mapping (keys of :data:`~.scenarios.TOP_KEYS`)."""
        run: dict[str, Any] = {
            "start": int(self.origin.run.start),
            "end": int(self.end),
            "replications": int(self.seeds),
            "seed": int(self.seed),
        }
        if self.posterior:
            run["posterior"] = self.posterior
        out: dict[str, Any] = {"name": self.name}
        if not self.changes() and not self.modes_changed:  # the origin's titles still fit
            for key in ("title", "title_zh"):
                if getattr(self.origin, key):
                    out[key] = getattr(self.origin, key)
        out["description"] = self.description("en")
        out["description_zh"] = self.description("zh")
        out["run"] = run
        out["parameters"] = {k: _typed(k, v) for k, v in self.overrides().items()}
        if self.modes:
            out["modes"] = [
                {"year": float(m["year"]), "mode": str(m["mode"]), "zones": m["zones"]}
                for m in self.modes
            ]
        return out

    def scenario(self) -> Scenario:
        """The draft loaded and validated as a scenario.

        Raises:
            ScenarioError: Naming the key that is wrong (e.g. ``name``).
        """
        return load_doc("what-if", self.doc())

    def run_spec(self, replicate: int) -> RunSpec:
        """The run of one replicate (its seed, and posterior draw where there is one).

        Raises:
            ScenarioError: If the draft is not a valid scenario.
        """
        (spec,) = scenario_specs([self.scenario()], reps=replicate + 1, seed=self.seed)[-1:]
        return spec


def _typed(name: str, value: float) -> bool | int | float:
    kind = REGISTRY[name].kind
    if kind == "bool":
        return bool(value)
    return int(value) if kind == "int" else float(value)


def draft(start: str = BASELINE, *, seeds: int = DEFAULT_SEEDS) -> Draft:
    """A draft of a shipped scenario (or a scenario file), unchanged.

    Its name is the scenario's, or ``whatif`` for the baseline (a what-if needs a name of
    its own); its last year and master seed are the scenario's, its seeds ``seeds``.

    Raises:
        ScenarioError: If ``start`` names no scenario, or the file is invalid.
    """
    sc = load_scenario(find_scenario(start))
    return Draft(
        origin=sc,
        name="whatif" if sc.name == BASELINE else sc.name,
        values=values_of(sc.params),
        modes=tuple(sc.params[MODE_ASSIGNMENTS]),
        seeds=seeds,
        seed=sc.run.seed,
        end=min(max(sc.run.end, MIN_END), MAX_END),
    )


def baseline_doc(d: Draft) -> dict[str, Any]:
    """The shipped baseline under the draft's run settings (same horizon, seeds, posterior)."""
    base = load_scenario(find_scenario(BASELINE))
    run = {**d.doc()["run"]}
    return {
        "name": BASELINE,
        "title": base.title,
        "title_zh": base.title_zh,
        "description": base.description,
        "description_zh": base.description_zh,
        "run": run,
        "parameters": dict(base.overrides),
    }


def specs(d: Draft) -> tuple[Scenario, Scenario, list[RunSpec]]:
    """The baseline, the what-if and their paired runs (baseline's first).

    Raises:
        ScenarioError: If the draft is not a valid scenario.
    """
    if d.name == BASELINE:
        raise ScenarioError(
            "what-if", "name", f"expected a name other than {BASELINE!r} (the comparison)"
        )
    what = d.scenario()
    base = load_doc("baseline", baseline_doc(d))
    return base, what, scenario_specs([base, what], reps=d.seeds, seed=d.seed)


class Runner:
    """Runs specifications on a backend, in the background, reusing finished runs.

    One runner serves the page: its backend (a local process pool unless ``workers`` is
    1) starts on first use and stays up until :meth:`close`. Finished runs are kept by
    run id (:attr:`~sim.experiments.runs.RunSpec.run_id`: parameters, seed, horizon and
    model version), so a baseline already run is not run again.

    Args:
        workers: Local worker processes (default: every core; 1 runs in the calling thread).
        task: The function a task runs (:func:`sim.experiments.runs.run_chunk`).
        cache_runs: Finished runs kept.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        task: Callable[..., RunOutput] = run_chunk,
        cache_runs: int = CACHE_RUNS,
    ) -> None:
        self.workers = workers
        self._task = task
        self._cache: OrderedDict[str, pa.Table] = OrderedDict()
        self._cache_runs = cache_runs
        self._lock = threading.Lock()
        self._backend: Backend | None = None
        self._closed = threading.Event()

    def _get_backend(self) -> Backend:
        with self._lock:
            if self._backend is None:
                self._backend = make_backend(self.workers)
            return self._backend

    def start(self) -> None:
        """Start the backend and its worker processes now, from the calling thread.

        Call it from the main thread: on Linux a pool's fork server dies with the thread
        that started it (:mod:`sim.experiments.lifeline` ties it to its parent with the
        parent-death signal, which follows the thread), so a pool started by a what-if's
        thread would break when that thread ends.
        """
        backend = self._get_backend()
        for _ in backend.imap_unordered(abs, range(backend.workers)):
            pass

    def _drop_backend(self) -> None:
        with self._lock:
            backend, self._backend = self._backend, None
        if backend is not None:
            backend.close()

    def close(self) -> None:
        """Stop the backend's worker processes; runs going on stop at their next result."""
        self._closed.set()
        self._drop_backend()

    def cached(self, spec: RunSpec) -> bool:
        """Whether a run with this specification's run id has finished."""
        with self._lock:
            return spec.run_id in self._cache

    def run(
        self,
        runs: Sequence[RunSpec],
        *,
        progress: Callable[[int, int], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> tuple[pd.DataFrame, int]:
        """Run specifications (those not run before) and return their annual table.

        Args:
            runs: The runs, in the order of the returned table.
            progress: Called with (finished, total) after each run.
            stop: Polled after each run; when it returns true the rest is cancelled.

        Returns:
            The annual table (label columns as in a batch) and how many runs were computed.

        Raises:
            Cancelled: If ``stop`` asked to stop.
            Exception: What a run raised (the backend is restarted on the next call).
        """
        if self._closed.is_set():
            raise Cancelled("the what-if was cancelled before its runs finished")
        todo = list({s.run_id: s for s in runs if not self.cached(s)}.values())
        total, done = len(runs), sum(1 for s in runs if self.cached(s))
        if progress:
            progress(done, total)
        if todo:
            backend = self._get_backend()
            task = functools.partial(self._task, zones=False, identity=code_identity())
            try:
                for _, out in backend.imap_unordered(task, ([s] for s in todo)):
                    with self._lock:
                        self._cache[out.keys[0][3]] = out.annual
                        while len(self._cache) > self._cache_runs:
                            self._cache.popitem(last=False)
                    done += sum(1 for s in runs if s.run_id == out.keys[0][3])
                    if progress:
                        progress(done, total)
                    if self._closed.is_set() or (stop is not None and stop()):
                        raise Cancelled("the what-if was cancelled before its runs finished")
            except Cancelled:
                raise
            except Exception:
                self._drop_backend()  # a broken pool is not reused
                raise
        return self._table(runs), len(todo)

    def _table(self, runs: Sequence[RunSpec]) -> pd.DataFrame:
        parts = []
        with self._lock:
            tables = [self._cache[s.run_id] for s in runs]
        for spec, table in zip(runs, tables, strict=True):
            df = table.to_pandas()
            df["scenario"] = spec.scenario
            df["replicate"] = spec.replicate
            df["seed"] = int(spec.seed)
            parts.append(df)
        return pd.concat(parts, ignore_index=True)


@dataclass(eq=False)
class Outcome:
    """A what-if's result.

    Attributes:
        data: The two scenarios' runs, as the brief reads batches.
        head: The headline table (:func:`sim.analysis.brief.headline_effects`).
        ran: Runs computed.
        reused: Runs reused.
        seconds: Time from the start of the runs to the table.
        draft: The draft that ran.
    """

    data: BriefData
    head: pd.DataFrame
    ran: int
    reused: int
    seconds: float
    draft: Draft = field(repr=False)

    @property
    def scenario(self) -> str:
        """The what-if's name."""
        return self.data.whatifs[0]


def outcome(
    d: Draft,
    runner: Runner,
    *,
    progress: Callable[[int, int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Outcome:
    """Run a draft against the baseline and build the headline table.

    Raises:
        ScenarioError: If the draft is invalid (nothing runs).
        Cancelled: If ``stop`` asked to stop.
    """
    t0 = time.perf_counter()
    base, what, runs = specs(d)
    annual, ran = runner.run(runs, progress=progress, stop=stop)
    info = {
        sc.name: {
            "title": sc.title,
            "title_zh": sc.title_zh,
            "description": sc.description,
            "description_zh": sc.description_zh,
            "params": None if sc.run.posterior else sc.params,
            "posterior": sc.run.posterior,
        }
        for sc in (base, what)
    }
    data = BriefData(
        paths=[],
        results=[],
        annual=annual,
        zones=None,
        scenarios=[base.name, what.name],
        baseline=base.name,
        info=info,
        batch_of={base.name: 0, what.name: 0},
    )
    head = headline_effects(data)
    return Outcome(data, head, ran, len(runs) - ran, time.perf_counter() - t0, d)


def effects_table(head: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]], list[str]]:
    """Headline effects as the brief writes them, with the brief's verdict word per row.

    Args:
        head: Rows of :func:`sim.analysis.brief.headline_effects` (one what-if).
        lang: ``"en"`` or ``"zh"``.

    Returns:
        The header, the rows (metric, year, baseline, scenario, effect, 95 % interval of
        the mean, 5-95 % of runs, runs, verdict) and each row's verdict colour.
    """
    t = functools.partial(brief_text, lang=lang)
    header = [t("metric"), t("year"), t("baseline_value"), t("scenario_value"), t("effect"),
              t("ci"), t("spread"), t("pairs"), text("verdict", lang)]  # fmt: skip
    rows, colours = [], []
    for r in head.itertuples():
        direction = better(r.metric)
        word = verdict(r.mean, r.ci_low, r.ci_high, direction) if direction else ""
        rows.append(
            [
                plotting.metric_label(r.metric, lang),
                str(r.year),
                fmt_number(r.baseline_mean),
                fmt_number(r.scenario_mean),
                signed(r.mean),
                fmt_interval(r.ci_low, r.ci_high, lang, sign=True),
                fmt_interval(r.low, r.high, lang, sign=True),
                str(r.n),
                t(word) if word else "–",
            ]
        )
        colours.append(VERDICT_COLOURS[word] if word else plotting.PALETTE[0])
    return header, rows, colours


# ---------------------------------------------------------------- saving


def scenario_text(d: Draft, folder: str | Path = ".") -> str:
    """The draft as a TOML scenario file to be written into ``folder``.

    A posterior file is given relative to ``folder`` where it can be, as scenario files
    give it (relative paths are read from the scenario file's folder).
    """
    import tomli_w

    doc = d.doc()
    if "posterior" in doc["run"]:
        post = Path(doc["run"]["posterior"])
        try:
            doc["run"]["posterior"] = os.path.relpath(post, Path(folder).resolve())
        except ValueError:  # another drive (Windows)
            doc["run"]["posterior"] = str(post)
    return tomli_w.dumps(doc, multiline_strings=True)


def save(d: Draft, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the draft as a scenario file, checked before it replaces anything.

    Args:
        d: The draft.
        path: The file (``.toml``); its folder must exist.
        overwrite: Whether an existing file may be replaced.

    Returns:
        The file.

    Raises:
        ScenarioError: If the file would not pass ``zonesim validate`` (nothing written),
            or the path is not a ``.toml`` file.
        FileExistsError: If the file exists and ``overwrite`` is false.
        OSError: If the folder is missing or not writable.
    """
    path = Path(path)
    if path.suffix != ".toml":
        raise ScenarioError(path, "", "expected a file name ending in .toml")
    if path.exists() and not overwrite:
        raise FileExistsError(text("exists", "en", path=path))
    if path.is_dir():
        raise IsADirectoryError(f"{path}: expected a file, got a folder")
    d.scenario()  # the draft's own errors name its keys, before any file is touched
    content = scenario_text(d, path.parent)

    def write(tmp: Path) -> None:
        tmp.write_text(content, encoding="utf-8")
        _, errors = check_file(tmp)
        if errors:  # named after the target, not the temporary file
            err = errors[0]
            prefix = f"{err.path}: " + (f"{err.key}: " if err.key else "")
            raise ScenarioError(path, err.key or "", str(err).removeprefix(prefix))

    return atomic_write(path, write)


def reproduce_command(d: Draft, path: str | Path) -> str:
    """The command that runs a saved draft against the baseline as the page did."""
    return (
        f"zonesim run {BASELINE} {Path(path).as_posix()} --reps {d.seeds} --seed {d.seed} "
        f"--out results/{d.name}"
    )
