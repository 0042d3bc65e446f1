"""Loading results: one batch folder (:class:`~.results.Results`), or several as one."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import overload

from sim.errors import MissingFileError
from sim.experiments.store.combined import CombinedResults
from sim.experiments.store.errors import MissingRunsError
from sim.experiments.store.index import read_manifest, read_runs
from sim.experiments.store.layout import MANIFEST, RUNS
from sim.experiments.store.results import Results
from sim.experiments.store.trust import check_no_links


def _load_one(path: Path, allow_missing: bool) -> Results:
    """One batch folder's results, refusing (or warning of) runs that are not stored."""
    if path.is_dir():
        check_no_links(path)
    manifest = read_manifest(path) if path.is_dir() else None
    if manifest is None or not (path / RUNS).is_file():
        raise MissingFileError(
            f"{path}: expected a batch folder with {MANIFEST} and {RUNS} (none found)"
        )
    res = Results(path, manifest, read_runs(path))
    if len(res.missing):
        error = MissingRunsError(res)
        if not allow_missing:
            raise error
        warnings.warn(f"{error} (allow_missing=True: loading them)", stacklevel=3)
    return res


@overload
def load_results(path: str | Path, *, allow_missing: bool = ...) -> Results: ...
@overload
def load_results(
    path: str | Path | Sequence[str | Path], *more: str | Path, allow_missing: bool = ...
) -> Results | CombinedResults: ...
def load_results(
    path: str | Path | Sequence[str | Path], *more: str | Path, allow_missing: bool = False
) -> Results | CombinedResults:
    """Load one batch folder written by :func:`sim.experiments.batch.execute`, or several.

    Tables are read on first access (``.annual``, ``.zones``) and hold every run of
    the batch's run index, each once, in batch order (scenario, then replicate or
    sample), whatever the order the runs finished in. Loading compares the runs the
    index lists with the parts present (each checked against the sha256 in the part
    index): a run that is not stored (not finished, or its part is corrupt or was set
    aside) is an error naming the runs and the command that recomputes them, unless
    ``allow_missing`` is true, which loads the stored runs with a warning and lists the
    others in ``.missing``. Variants of a sweep carry their swept parameters as columns
    after ``seed`` (NaN for other scenarios).

    Several folders (``load_results("a", "b")`` or ``load_results(["a", "b"])``, e.g. a
    baseline run once and what-ifs run later) are read as one
    (:class:`~.combined.CombinedResults`): tables gain a ``batch`` column; the batches must
    share a model version; a run stored in several (same scenario and replicate or sample)
    is read once, from the first, and must be identical there (same run id: loading names
    the seed, horizon or parameters that differ otherwise).

    Args:
        path: The batch folder, or a list of folders.
        *more: Further batch folders.
        allow_missing: Load a batch with runs that are not stored (with a warning).

    Returns:
        The results (:class:`~.results.Results` for one folder).

    Raises:
        FileNotFoundError: If a path is not a batch folder.
        MissingRunsError: If a batch lists runs that are not stored (and
            ``allow_missing`` is false).
        StoreError: If a manifest or run index is unreadable or of another format, or
            the batches cannot be combined.
    """
    given = [path] if isinstance(path, str | Path) else list(path)
    paths = [Path(p) for p in [*given, *more]]
    if not paths:
        raise MissingFileError("expected at least one batch folder, got none")
    parts = [_load_one(p, allow_missing) for p in paths]
    return parts[0] if len(parts) == 1 else CombinedResults(parts)
