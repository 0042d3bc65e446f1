"""The firm population's inner loops: compiled (numba), with NumPy references.

Every quarter the model updates each living firm once: level adjustment, growth,
exit, its age band and the per-zone accumulators (:func:`firm_dynamics` in
:mod:`.dynamics`); entry counts firms and land by zone, chooses zones and checks
entrants against free land (:func:`zone_census`, :func:`entry_choice`,
:func:`place_entrants` in :mod:`.entry`). Each has two implementations with the
same inputs and outputs: a numba kernel (one pass over the firms, compiled on first
use and cached on disk, so later processes and workers load it instead of compiling)
and a NumPy reference (array passes; the tests compare the two). :func:`use` selects
one for the process; the kernel is the default.

Random numbers are counter-based: firm ``i``'s draw of a mechanism in a quarter is
:func:`uniforms` of that quarter's key (from the run's ``SeedSequence``, see
``ZoneReformModel.keys``) and the firm's id: the SplitMix64 output function of the
key plus the counter times the golden-ratio increment (Steele, Lea and Flood 2014,
"Fast splittable pseudorandom number generators"). Draws depend on neither the order
of the firms nor the other firms, so both implementations consume them identically,
the kernel can compute them inside its vectorised loop, and a paired run gives a
surviving firm the same shocks (common random numbers at the firm level). Entrants draw
the same way, by their place in the quarter's order of entry (:func:`entrant_draws`:
Box-Muller normals for land and size, the size's Pareto factor by inversion), and so do
the quarter's Poisson numbers of projects and start-ups, by their cell
(:func:`poisson_counts`).

The kernel's ``exp``, ``log``, and sine and cosine of turns are polynomial (``_exp``,
``_log``, ``_sincos_turns``; within three units in the last place of the C library's, or
2e-16) so that the compiler vectorises the loops; IEEE arithmetic, with multiply-adds
fused where the processor has them, and no other fast-math licence.
"""

from __future__ import annotations

from sim.core.firms.kernel.base import (
    AGE_EDGES,
    IMPLEMENTATIONS,
    SHOCK_SCALE_MAX,
    Workspace,
    ZoneArrays,
    current,
    exp_log,
    sincos_turns,
    uniforms,
    use,
    using,
)
from sim.core.firms.kernel.dynamics import (
    Quarter,
    firm_dynamics,
    largest,
    order_statistic,
    zone_census,
)
from sim.core.firms.kernel.entry import (
    Choice,
    Draws,
    Entrants,
    categories,
    entrant_draws,
    entry_choice,
    place_entrants,
)
from sim.core.firms.kernel.poisson import poisson_counts
from sim.core.firms.kernel.storage import compact

__all__ = [
    "AGE_EDGES",
    "IMPLEMENTATIONS",
    "SHOCK_SCALE_MAX",
    "Choice",
    "Draws",
    "Entrants",
    "Quarter",
    "Workspace",
    "ZoneArrays",
    "categories",
    "compact",
    "compile_all",
    "current",
    "entrant_draws",
    "entry_choice",
    "exp_log",
    "firm_dynamics",
    "largest",
    "order_statistic",
    "place_entrants",
    "poisson_counts",
    "sincos_turns",
    "uniforms",
    "use",
    "using",
    "zone_census",
]


def compile_all() -> None:
    """Compile every kernel (or load it from the disk cache): a process's first run is then fast.

    Runs the model for a year with the kernel; ``make setup`` calls it so that the cache
    exists before the first batch.
    """
    from sim.core.run import simulate

    with using("numba"):
        simulate(seed=0, end=2016)
