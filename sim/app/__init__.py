"""The interactive explorer in the browser (``zonesim app``).

Modules:
    levers: bounded widgets from the parameter registry; mode-assignment selectors.
    watch: one run stepped in the page (:class:`~.watch.WatchedRun`), its map and timeline.
    whatif: the scenario being edited (:class:`~.whatif.Draft`), its runs against the
        baseline through the run boundary, its effects in the brief's words, saving it.
    results: an existing batch folder, as the brief reads it.
    text: the page's own words in English and Chinese.
    page: the Solara page, from Mesa's visualization components.
    server: the local web server.

This package imports :mod:`sim.core`, :mod:`sim.experiments` and :mod:`sim.analysis`;
only :mod:`sim.cli` imports it. Solara and Mesa's visualization are needed by ``page``
and ``server`` only (the ``app`` extra).
"""

from __future__ import annotations
