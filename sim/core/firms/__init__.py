"""The firm population and its behaviour: firms enter, grow and exit.

* :mod:`.population`: every living firm's state in arrays (:class:`FirmPopulation`,
  ``model.firms``) and Mesa agents as views on them (:class:`Enterprise`);
* :mod:`.entry`: the 2016 firms, investment projects, start-ups and designated parks'
  firms (:func:`enter`, :func:`add_established`);
* :mod:`.dynamics`: growth and exit each quarter (:func:`grow_and_exit`);
* :mod:`.kernel`: the compiled inner loops, with their NumPy references.
"""

from __future__ import annotations

from sim.core.firms.dynamics import grow_and_exit, log_exit_hazard
from sim.core.firms.entry import add_established, enter, startup_intensity
from sim.core.firms.population import ORIGINS, SECTORS, Enterprise, FirmPopulation

__all__ = [
    "ORIGINS",
    "SECTORS",
    "Enterprise",
    "FirmPopulation",
    "add_established",
    "enter",
    "grow_and_exit",
    "log_exit_hazard",
    "startup_intensity",
]
