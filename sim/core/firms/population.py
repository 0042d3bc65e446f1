"""Enterprises: state in arrays (the primary interface), Mesa agents as views.

Thousands of runs of 40,000+ firms rule out stepping Python objects one by one.
:class:`FirmPopulation` (``model.firms``) keeps every living firm's state in
contiguous NumPy arrays (a struct of arrays) and updates it with vectorised
operations; births and deaths happen in blocks. That is the model's interface to
firms, and the reason is speed.

For inspecting firms like agents of any Mesa model, ``model.enterprise_agents()``
returns a :class:`mesa.agentset.AgentSet` with one :class:`Enterprise` per living
firm, in ``firm_id`` order. An :class:`Enterprise` is a view on one row: its
attributes are properties that read (and, for ``size``, write) the arrays, so views
and arrays never disagree. The view objects are made the first time they are asked
for and from then on kept in step with births and deaths (a dead firm's view is
dropped, so an agent set obtained earlier loses it too). Views are not registered in
the model's agent containers (``model.agents`` holds the zones, governments and
operating companies), and making them draws no random number and changes no state.

Rows move when dead firms are compacted away; a view keeps its stable ``firm_id``
and finds its row through ``FirmPopulation.row_of``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
from mesa.agentset import AgentSet

from sim.core import params as registry
from sim.core.firms import kernel

if TYPE_CHECKING:
    from sim.core.agents import Zone
    from sim.core.model import ZoneReformModel

#: Sectors of investment projects: one ``sector_weight_<sector>`` registry parameter each.
SECTOR_PREFIX = "sector_weight_"
SECTORS = tuple(
    n.removeprefix(SECTOR_PREFIX) for n in registry.REGISTRY if n.startswith(SECTOR_PREFIX)
)
#: Per-firm state arrays and their dtypes.
FIELDS: dict[str, type] = {
    "zone": np.intp,  # index into ZoneReformModel.zone_list (intp: fastest gathers)
    "sector": np.int8,
    "size": np.float64,  # value added, 亿元 per year
    "log_size": np.float64,  # log(size) (see log_of_size), kept with it: the state that grows
    "level": np.float64,  # log productivity premium from the zone environment
    "birth": np.float64,  # decimal year of entry
    "land": np.float64,  # km2 of planned zone land in use
    "origin": np.int8,  # index into ORIGINS: how the firm came to the zone
    "firm_id": np.int64,
}
#: Smallest size whose log the population keeps (the smallest normal float: log -708.4).
SIZE_FLOOR = float(np.finfo(np.float64).tiny)


def log_of_size(size: np.ndarray | float) -> np.ndarray:
    """The log size the population keeps for ``size``: a size of 0 counts as :data:`SIZE_FLOOR`.

    A firm of size 0 (of a park designated when the rest of the province has no output
    left to bring, ``ZoneReformModel._designate_park``) thus has a finite log size far
    below every other: it stays at size 0 in effect and, its hazard rising with its
    smallness, exits.
    """
    return np.log(np.maximum(size, SIZE_FLOOR))


#: How a firm came to its zone: in the 2016 registry, an investment project, a start-up,
#: with an existing park designated as a new zone.
ORIGINS = ("initial", "project", "startup", "designated")


class Enterprise(mesa.Agent):
    """A firm in a zone: a view on one row of the model's :class:`FirmPopulation`.

    Attributes are read from (and written to) the population arrays, so the agent and
    the vectorised state never disagree. Views are made by the population, not by
    ``Enterprise(model)``, and are not registered with the model.
    """

    # Slots keep per-agent creation cheap: agents are made in blocks of thousands.
    __slots__ = ("firm_id", "model")
    pos = None  # firms have no spatial position beyond their zone

    #: Offset that keeps firm agents' ids clear of the other agents' counter.
    ID_OFFSET = 1 << 40

    @classmethod
    def view(cls, model: ZoneReformModel, firm_id: int) -> Enterprise:
        """Return the view of firm ``firm_id`` (without registering it with the model)."""
        agent = cls.__new__(cls)
        agent.model = model
        agent.firm_id = firm_id
        return agent

    @property
    def unique_id(self) -> int:
        """Agent id: the stable firm id, offset from the registered agents' ids."""
        return int(self.ID_OFFSET + self.firm_id)

    def remove(self) -> None:
        """Refuse: firms leave the model through its exit mechanism only."""
        raise TypeError("an Enterprise is a view; firms exit through the model's dynamics")

    def _row(self) -> int:
        pop = self.model.firms
        row = int(pop.row_of[self.firm_id])
        if row < 0:
            raise LookupError(f"firm {self.firm_id} has exited")
        return row

    def _get(self, field: str) -> float:
        value: float = self.model.firms.arrays[field][self._row()].item()
        return value

    @property
    def zone(self) -> Zone:
        """The :class:`~sim.core.agents.Zone` agent the firm is located in."""
        zone: Zone = self.model.zone_list[int(self._get("zone"))]
        return zone

    @property
    def sector(self) -> int:
        """Sector index (see :data:`SECTORS`)."""
        return int(self._get("sector"))

    @property
    def size(self) -> float:
        """Value added, 亿元 per year."""
        return self._get("size")

    @size.setter
    def size(self, value: float) -> None:
        row, arrays = self._row(), self.model.firms.arrays
        arrays["size"][row] = value
        arrays["log_size"][row] = log_of_size(value)

    @property
    def level(self) -> float:
        """Log productivity premium from the zone environment."""
        return self._get("level")

    @property
    def age(self) -> float:
        """Years since entry."""
        age: float = self.model.now - self._get("birth")
        return age

    @property
    def land(self) -> float:
        """Planned zone land the firm uses, km2."""
        return self._get("land")

    def __repr__(self) -> str:
        return f"Enterprise(firm_id={self.firm_id}, zone={self.zone.unit}, size={self.size:.4f})"


class _Field:
    """A field of the living firms: a view of the first ``n`` rows of its array.

    The binding is fixed: write into the view instead (``population.size[:] = x``; the
    size and its log go together: ``population.log_size[:] = log_of_size(x)``).
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, pop: FirmPopulation, owner: type | None = None) -> np.ndarray:
        try:
            view: np.ndarray = pop.arrays[self.name][: pop.n]
        except KeyError:  # the agent views' column before the views exist
            raise AttributeError(self.name) from None
        return view

    def __set__(self, pop: FirmPopulation, value: object) -> None:
        raise AttributeError(f"field '{self.name}' is a view; assign to its elements")


class FirmPopulation:
    """Struct-of-arrays state of all living firms, with their agent views on demand.

    Each field of :data:`FIELDS` (and ``agent``, once the views exist) reads as a view
    of the living firms' rows, e.g. ``population.size``.

    Args:
        model: The owning model.
        capacity: Initial capacity in firms (grows by doubling).
    """

    zone = _Field()
    sector = _Field()
    size = _Field()
    log_size = _Field()
    level = _Field()
    birth = _Field()
    land = _Field()
    origin = _Field()
    firm_id = _Field()
    agent = _Field()

    def __init__(self, model: ZoneReformModel, capacity: int = 1 << 17) -> None:
        self.model = model
        self.n = 0
        #: The fields' arrays, and the agent views' (``"agent"``) once they are made.
        self.arrays: dict[str, np.ndarray] = {
            k: np.zeros(capacity, dtype=t) for k, t in FIELDS.items()
        }
        #: Each firm id's row (-1 once it exited), kept while there are views to serve.
        self._row_of: np.ndarray | None = None
        self.next_id = 0
        self.materialized = False
        #: Land in use by zone and firms by zone and sector, as the firm dynamics left
        #: them (``None`` once firms are added or removed, or zones remapped): entry reads
        #: it instead of counting again. Code that writes ``zone``, ``sector`` or ``land``
        #: directly sets it (and ``counts``) to ``None``.
        self.census: tuple[np.ndarray, np.ndarray] | None = None
        #: Firms by zone and sector, kept by entry (which adds its entrants) for the firm
        #: dynamics (which take their exits away); ``None`` as ``census`` is.
        self.counts: np.ndarray | None = None

    def __len__(self) -> int:
        return self.n

    @property
    def row_of(self) -> np.ndarray:
        """Each firm id's row in the arrays, -1 for a firm that exited.

        Kept up to date once the agent views exist (they find their rows through it);
        before that it is built when asked for.
        """
        if self._row_of is not None:
            return self._row_of
        row_of = np.full(self.next_id, -1, dtype=np.int64)
        row_of[self.firm_id] = np.arange(self.n)
        return row_of

    def _reserve(self, extra: int) -> None:
        need = self.n + extra
        cap = len(self.arrays["size"])
        if need > cap:
            new_cap = max(need, 2 * cap)
            for k, a in self.arrays.items():
                grown = np.zeros(new_cap, dtype=a.dtype)
                grown[: self.n] = a[: self.n]
                self.arrays[k] = grown
        need_ids = self.next_id + extra
        if self._row_of is not None and need_ids > len(self._row_of):
            grown = np.full(max(need_ids, 2 * len(self._row_of)), -1, dtype=np.int64)
            grown[: len(self._row_of)] = self._row_of
            self._row_of = grown

    def add(self, **values: np.ndarray | float) -> np.ndarray:
        """Add a block of firms and their agents.

        Args:
            **values: One array per field of :data:`FIELDS` except ``firm_id`` and
                ``log_size`` (both made here), all of the same length as ``size`` (or
                one value for every firm).

        Returns:
            The new firms' ids.
        """
        k = np.shape(values["size"])[0]
        self._reserve(k)
        lo, hi = self.n, self.n + k
        ids = np.arange(self.next_id, self.next_id + k, dtype=np.int64)
        made = {"firm_id": ids, "log_size": log_of_size(values["size"])}
        for name in FIELDS:
            self.arrays[name][lo:hi] = made[name] if name in made else values[name]
        self.next_id += k
        self.census = self.counts = None
        self.n = hi
        if self._row_of is not None:
            self._row_of[ids] = np.arange(lo, hi)
        if self.materialized:
            self._make_agents(lo, hi)
        return ids

    def agent_set(self) -> AgentSet:
        """Return the living firms as an agent set of :class:`Enterprise` views.

        The views are made on the first call and kept in step with births and deaths
        from then on; the set is built on each call, in ``firm_id`` order.
        """
        if not self.materialized:
            self.materialized = True
            self.arrays["agent"] = np.empty(len(self.arrays["size"]), dtype=object)
            self._row_of = self.row_of
            self._make_agents(0, self.n)
        order = np.argsort(self.firm_id, kind="stable")
        return AgentSet(self.agent[order].tolist(), random=self.model.random)

    def _make_agents(self, lo: int, hi: int) -> None:
        """Create the views of rows ``lo:hi``."""
        model, view = self.model, Enterprise.view
        self.arrays["agent"][lo:hi] = [
            view(model, fid) for fid in self.arrays["firm_id"][lo:hi].tolist()
        ]

    def remove(self, rows: np.ndarray) -> None:
        """Remove the firms in ``rows`` (live rows, ascending).

        Survivors from the tail fill the holes the dead leave (swap with last), so the
        cost is proportional to the deaths, not to the population.
        """
        a = self.arrays
        n_keep = kernel.compact(rows, self.n, a, self._row_of)
        if self.materialized:
            a["agent"][n_keep : self.n] = None
        self.n = n_keep
        self.census = self.counts = None
