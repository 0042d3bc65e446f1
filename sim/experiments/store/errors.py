"""The store's errors: a folder that cannot be used as asked, and runs that are not stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from sim.errors import ZonesimError
from sim.experiments.store.describe import describe_runs, recompute_advice, recompute_commands
from sim.experiments.store.layout import RUNS

if TYPE_CHECKING:
    from sim.experiments.store.results import Results


class StoreError(ZonesimError, ValueError):
    """A batch folder cannot be used as asked (message names the path and what to do).

    The advice may name arguments of :func:`sim.experiments.batch.execute` and
    :func:`~sim.experiments.store.load_results` as ``{out_dir}``, ``{allow_foreign}`` and
    ``{allow_missing}`` placeholders (:attr:`arguments`), which a front end that calls them
    otherwise spells its own way (:meth:`~sim.errors.ZonesimError.message`).
    """

    arguments: ClassVar[Mapping[str, str]] = {
        "out_dir": "out_dir",
        "allow_foreign": "allow_foreign=True",
        "allow_missing": "allow_missing=True",
        "overwrite": "overwrite=True",
    }


class MissingRunsError(StoreError):
    """Runs that a batch's run index lists are not stored (unfinished, or their part was bad).

    The message names the folder, the runs (scenario, replicate or sample, seed) and the
    command(s) that recompute them; the same facts are attributes.

    Attributes:
        path: The batch folder.
        missing: The missing runs (rows of the run index).
        commands: Command lines that recompute them, each with the runs it covers.
    """

    def __init__(self, results: Results) -> None:
        """Build the error for the runs of ``results`` that are not stored."""
        self.path = results.path
        self.missing = results.missing
        self.commands = recompute_commands(results.manifest, self.missing)
        corrupt = [p.relative_to(self.path).as_posix() for p in results.corrupt]
        bad = (
            f"{len(corrupt)} part(s) do not match their checksum (corrupt, truncated or "
            f"changed: {', '.join(corrupt)}; running again sets them aside); "
            if corrupt
            else ""
        )
        super().__init__(
            f"expected every run the batch lists in {RUNS} to be stored; "
            f"{len(self.missing)} of {len(results.runs)} are not (unfinished, corrupt or set "
            f"aside): {describe_runs(self.missing)}",
            file=self.path,
            advice=f"{bad}{recompute_advice(self.commands)}, or pass {{allow_missing}} to load "
            "the runs that are stored",
        )
