"""The interactive explorer in the browser (``zonesim app``).

Modules:
    levers: bounded widgets from the parameter registry; mode-assignment selectors.
    watch: one run stepped in the page (:class:`~.watch.WatchedRun`), its map and timeline.
    draft: the scenario being edited (:class:`~.draft.Draft`).
    runner: its runs through the run boundary, in the background (:class:`~.runner.Runner`).
    whatif: a draft against the baseline, its effects in the brief's words.
    scenario_file: saving a draft as a scenario file.
    results: an existing batch folder, as the brief reads it.
    text: the page's own words in English and Chinese.
    page: the Solara page, from Mesa's visualization components (a package: its state,
        sidebar and tabs).
    server: the local web server.

This package imports :mod:`sim.core`, :mod:`sim.experiments` and :mod:`sim.analysis`;
only :mod:`sim.cli` imports it. Solara and Mesa's visualization are needed by ``page``
and ``server`` only (the ``app`` extra).
"""

from __future__ import annotations
