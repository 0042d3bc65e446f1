"""The model's version number and its date.

:data:`NUMBER` is raised by hand when the model's behaviour changes on purpose: the minor
number for new parameter values, a recalibration or a corrected mechanism, the major
number when a mechanism is added or removed or an output changes its meaning. The
version runs carry (``sim.experiments.identity.model_version``, e.g. ``1.0+3f2a9c1e``)
adds a short hash of the code that computes a run with docstrings, comments and
formatting left out, so a change of behaviour that forgot to raise the number still gives
a new version, while a change of documentation gives none.
"""

from __future__ import annotations

#: The model's version number (major.minor).
NUMBER = "1.4"
#: The date :data:`NUMBER` was set (ISO 8601).
DATE = "2026-12-07"
