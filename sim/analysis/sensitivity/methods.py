"""The table of sensitivity methods: one module per method family, all of one shape.

Every method module (as SALib's modules are) provides:

- ``COLUMNS``: the index columns of its table (after ``parameter`` and ``output``);
- ``PRIMARY``: its headline indices, each with the column holding its interval
  half-width (``None`` when the method gives none);
- ``OPTIONS``: the names of the method options it takes (``num_levels``, ``delta``);
- ``GROUPS``: whether it analyses groups of parameters;
- ``THRESHOLD``: the index value from which a parameter is influential, or ``None``
  for "a share :data:`~sim.analysis.sensitivity.analysis.RELATIVE_THRESHOLD` of the
  output's largest index";
- ``block(problem)``: design rows per base unit (the first ``m * block`` rows form a
  design of base size ``m``);
- ``sample(problem, n, *, seed, **options)``: the design, one row per model run;
- ``analyze(problem, X, y, *, seed, conf_level, resamples, **options)``: the indices
  of one output vector, ``{column: array}``.

Adding a method is one module and one entry in :data:`METHODS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType

from sim.analysis.sensitivity import dgsm, morris, pawn, sobol

#: Methods by name, in the order the command line lists them.
METHODS: Mapping[str, ModuleType] = {
    "morris": morris,
    "sobol": sobol,
    "pawn": pawn,
    "dgsm": dgsm,
}

#: Index columns of each method's table (after ``parameter`` and ``output``).
INDEX_COLUMNS: dict[str, tuple[str, ...]] = {k: m.COLUMNS for k, m in METHODS.items()}

#: Headline indices of each method and the column holding their interval half-width.
PRIMARY: dict[str, tuple[tuple[str, str | None], ...]] = {k: m.PRIMARY for k, m in METHODS.items()}
