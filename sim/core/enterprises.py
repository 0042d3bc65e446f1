"""Enterprises: hot state in arrays, one Mesa agent per living firm.

Thousands of runs of 40,000+ firms rule out stepping Python objects one by one.
:class:`FirmPopulation` keeps every living firm's state in contiguous NumPy arrays
(a struct of arrays) and updates it with vectorised operations; births and deaths
happen in blocks. Each living firm is still an :class:`Enterprise` agent registered
with the model, whose attributes are properties that read and write its row, so a
user can inspect ``model.agents_by_type[Enterprise]`` like any Mesa model.

Rows move when dead firms are compacted away; an agent keeps its stable
``firm_id`` and finds its row through ``FirmPopulation.row_of``, which is updated
in one vectorised assignment per compaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from sim.core.model import ZoneReformModel

#: Per-firm state arrays and their dtypes.
FIELDS: dict[str, type] = {
    "zone": np.int32,  # index into ZoneReformModel.zone_list
    "sector": np.int8,
    "size": np.float64,  # value added, 亿元 per year
    "level": np.float64,  # log productivity premium from the zone environment
    "birth": np.float64,  # decimal year of entry
    "land": np.float64,  # km2 of planned zone land in use
    "firm_id": np.int64,
}


class Enterprise(mesa.Agent):
    """A firm in a zone: a view on one row of the model's :class:`FirmPopulation`.

    Attributes are read from (and written to) the population arrays, so the agent and
    the vectorised state never disagree.
    """

    firm_id: int

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
        # The model's own agent containers, filled and emptied in blocks.
        Enterprise(model).remove()
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
        # Block registration with the model (Mesa's Agent.__init__ does this one by
        # one; the containers are plain dicts, so a dict update is equivalent).
        model, new, counter = self.model, Enterprise.__new__, self.model.agent_id_counter
        block = []
        for j, fid in enumerate(ids.tolist()):
            a = new(Enterprise)
            a.__dict__.update(model=model, unique_id=counter + j, pos=None, firm_id=fid)
            block.append(a)
        model.agent_id_counter = counter + k
        self.arrays["agent"][lo:hi] = block
        keys = dict.fromkeys(block)
        self._all.update(keys)
        self._typed.update(keys)
        return ids

    def remove(self, dead: np.ndarray) -> None:
        """Remove firms by a boolean mask over live rows; compacts the arrays."""
        if not dead.any():
            return
        keep = ~dead
        n_keep = int(keep.sum())
        all_agents, typed = self._all, self._typed
        for a in self.arrays["agent"][: self.n][dead].tolist():
            del all_agents[a]
            del typed[a]
        self.row_of[self.arrays["firm_id"][: self.n][dead]] = -1
        for arr in self.arrays.values():
            arr[:n_keep] = arr[: self.n][keep]
        self.arrays["agent"][n_keep : self.n] = None
        self.row_of[self.arrays["firm_id"][:n_keep]] = np.arange(n_keep)
        self.n = n_keep
