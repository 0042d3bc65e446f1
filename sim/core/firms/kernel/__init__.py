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
surviving firm the same shocks (common random numbers at the firm level).

The kernel's ``exp`` and ``log`` are polynomial (:func:`_exp`, :func:`_log`; within
three units in the last place of the C library's) so that the compiler vectorises the
loop; IEEE arithmetic, with multiply-adds fused where the processor has them, and no
other fast-math licence.
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
    Entrants,
    categories,
    entry_choice,
    place_entrants,
)
from sim.core.firms.kernel.storage import compact

__all__ = [
    "AGE_EDGES",
    "IMPLEMENTATIONS",
    "SHOCK_SCALE_MAX",
    "Choice",
    "Entrants",
    "Quarter",
    "Workspace",
    "ZoneArrays",
    "categories",
    "compact",
    "compile_all",
    "current",
    "entry_choice",
    "exp_log",
    "firm_dynamics",
    "largest",
    "order_statistic",
    "place_entrants",
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
