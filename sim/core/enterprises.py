"""Enterprises: hot state in arrays, one Mesa agent per living firm.

Thousands of runs of 40,000+ firms rule out stepping Python objects one by one.
:class:`FirmPopulation` keeps every living firm's state in contiguous NumPy arrays
(a struct of arrays) and updates it with vectorised operations; births and deaths
happen in blocks. Each living firm is an :class:`Enterprise` agent registered with
the model, whose attributes are properties that read and write its row, so a user
can inspect ``model.agents_by_type[Enterprise]`` like in any Mesa model.

The agent objects are made on demand: the first time anything reads the model's
agent containers (``model.agents``, ``model.agents_by_type``, ``model.enterprises``)
the population creates and registers an agent for every living firm, and from then
on keeps agents in step with births and deaths. A batch run that never looks at
individual firms therefore pays nothing for them; a run that does sees exactly one
agent per living firm at every step.

Rows move when dead firms are compacted away; an agent keeps its stable
``firm_id`` and finds its row through ``FirmPopulation.row_of``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from sim.core.model import ZoneReformModel

#: Per-firm state arrays and their dtypes.
FIELDS: dict[str, type] = {
    "zone": np.intp,  # index into ZoneReformModel.zone_list (intp: fastest gathers)
    "sector": np.int8,
    "size": np.float64,  # value added, 亿元 per year
    "level": np.float64,  # log productivity premium from the zone environment
    "birth": np.float64,  # decimal year of entry
    "land": np.float64,  # km2 of planned zone land in use
    "origin": np.int8,  # index into ORIGINS: how the firm came to the zone
    "firm_id": np.int64,
}
#: How a firm came to its zone: in the 2016 registry, an investment project, a start-up.
ORIGINS = ("initial", "project", "startup")


class Enterprise(mesa.Agent):
    """A firm in a zone: a view on one row of the model's :class:`FirmPopulation`.

    Attributes are read from (and written to) the population arrays, so the agent and
    the vectorised state never disagree.
    """

    # Slots keep per-agent creation cheap: agents are made in blocks of thousands.
    __slots__ = ("firm_id", "model")
    pos = None  # firms have no spatial position beyond their zone

    #: Offset that keeps firm agents' ids clear of the other agents' counter.
    ID_OFFSET = 1 << 40

    @property
    def unique_id(self) -> int:
        """Mesa agent id: the stable firm id, offset from other agents' ids."""
        return self.ID_OFFSET + self.firm_id

    @unique_id.setter
    def unique_id(self, value: int) -> None:  # Mesa's registration assigns one; ignored
        pass

    def _row(self) -> int:
        pop = self.model.firms
        row = int(pop.row_of[self.firm_id])
        if row < 0:
            raise LookupError(f"firm {self.firm_id} has exited")
        return row

    def _get(self, field: str) -> float:
        return self.model.firms.arrays[field][self._row()].item()

    @property
    def zone(self):
        """The :class:`~sim.agents.Zone` agent the firm is located in."""
        return self.model.zone_list[int(self._get("zone"))]

    @property
    def sector(self) -> int:
        """Sector index (see :data:`sim.model.SECTORS`)."""
        return int(self._get("sector"))

    @property
    def size(self) -> float:
        """Value added, 亿元 per year."""
        return self._get("size")

    @size.setter
    def size(self, value: float) -> None:
        self.model.firms.arrays["size"][self._row()] = value

    @property
    def level(self) -> float:
        """Log productivity premium from the zone environment."""
        return self._get("level")

    @property
    def age(self) -> float:
        """Years since entry."""
        return self.model.now - self._get("birth")

    @property
    def land(self) -> float:
        """Planned zone land the firm uses, km2."""
        return self._get("land")

    def __repr__(self) -> str:
        return f"Enterprise(firm_id={self.firm_id}, zone={self.zone.unit}, size={self.size:.4f})"


class FirmPopulation:
    """Struct-of-arrays state of all living firms, with their Mesa agents.

    Args:
        model: The owning model.
        capacity: Initial capacity in firms (grows by doubling).
    """

    def __init__(self, model: ZoneReformModel, capacity: int = 65536) -> None:
        self.model = model
        self.n = 0
        self.arrays: dict[str, np.ndarray] = {
            k: np.zeros(capacity, dtype=t) for k, t in FIELDS.items()
        }
        self.arrays["agent"] = np.empty(capacity, dtype=object)
        self.row_of = np.full(capacity * 2, -1, dtype=np.int64)
        self.next_id = 0
        self.materialized = False
        # The model's own agent containers, filled and emptied in blocks; registering
        # and deregistering one probe creates the Enterprise set through Mesa's API.
        probe = Enterprise.__new__(Enterprise)
        probe.model, probe.firm_id = model, -1
        model.register_agent(probe)
        model.deregister_agent(probe)
        self._all = model._all_agents._agents
        self._typed = model._agents_by_type[Enterprise]._agents

    def __len__(self) -> int:
        return self.n

    def __getattr__(self, name: str) -> np.ndarray:
        """Return a view of a live field, e.g. ``population.size``."""
        arrays = self.__dict__.get("arrays")
        if arrays is not None and name in arrays:
            return arrays[name][: self.n]
        raise AttributeError(name)

    def __setattr__(self, name: str, value: object) -> None:
        """Refuse to rebind a field: write into the view instead (``pop.size[:] = x``)."""
        if name in FIELDS:
            raise AttributeError(f"field '{name}' is a view; assign to its elements")
        super().__setattr__(name, value)

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
        if need_ids > len(self.row_of):
            grown = np.full(max(need_ids, 2 * len(self.row_of)), -1, dtype=np.int64)
            grown[: len(self.row_of)] = self.row_of
            self.row_of = grown

    def add(self, **values: np.ndarray) -> np.ndarray:
        """Add a block of firms and their agents.

        Args:
            **values: One array per field of :data:`FIELDS` except ``firm_id``, all of
                the same length.

        Returns:
            The new firms' ids.
        """
        k = len(values["size"])
        self._reserve(k)
        lo, hi = self.n, self.n + k
        ids = np.arange(self.next_id, self.next_id + k, dtype=np.int64)
        for name in FIELDS:
            self.arrays[name][lo:hi] = ids if name == "firm_id" else values[name]
        self.row_of[ids] = np.arange(lo, hi)
        self.next_id += k
        self.n = hi
        if self.materialized:
            self._make_agents(lo, hi)
        return ids

    def materialize(self) -> None:
        """Create the agents of all living firms; keep them in step from now on."""
        if not self.materialized:
            self.materialized = True
            self._make_agents(0, self.n)

    def _make_agents(self, lo: int, hi: int) -> None:
        """Create and register the agents of rows ``lo:hi``.

        Mesa's ``Agent.__init__`` registers agents one by one in two plain dicts; one
        dict update per block is equivalent.
        """
        model, new = self.model, Enterprise.__new__
        block = [new(Enterprise) for _ in range(hi - lo)]
        for a, fid in zip(block, self.arrays["firm_id"][lo:hi].tolist(), strict=True):
            a.model = model
            a.firm_id = fid
        self.arrays["agent"][lo:hi] = block
        keys = dict.fromkeys(block)
        self._all.update(keys)
        self._typed.update(keys)

    def remove(self, dead: np.ndarray) -> None:
        """Remove firms by a boolean mask over live rows.

        Survivors from the tail fill the holes the dead leave (swap with last), so the
        cost is proportional to the deaths, not to the population.
        """
        dead_rows = np.flatnonzero(dead)
        if len(dead_rows) == 0:
            return
        n = self.n
        n_keep = n - len(dead_rows)
        a = self.arrays
        if self.materialized:
            all_agents, typed = self._all, self._typed
            for agent in a["agent"][dead_rows].tolist():
                del all_agents[agent]
                del typed[agent]
        self.row_of[a["firm_id"][dead_rows]] = -1
        holes = dead_rows[dead_rows < n_keep]
        movers = n_keep + np.flatnonzero(~dead[n_keep:n])
        for name, arr in a.items():
            if name != "agent" or self.materialized:
                arr[holes] = arr[movers]
        a["agent"][n_keep:n] = None
        self.row_of[a["firm_id"][holes]] = holes
        self.n = n_keep
