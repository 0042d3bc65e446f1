"""The explorer's page: a Solara app built from Mesa's visualization components.

The sidebar edits one scenario (a :class:`~sim.app.draft.Draft`): the shipped scenario
it starts from, its name, last year, seeds and master seed, every registry parameter
(one bounded widget each, drawn by Mesa's ``UserInputs`` from :mod:`sim.app.levers`) and
its mode assignments. Three tabs use it:

* **Watch one run**: Mesa's ``ModelController`` (Step = one year, play, reset) drives a
  :class:`~sim.app.watch.WatchedRun` of one replicate; the prefecture map and Mesa's plot
  components (``make_plot_component``) update as it steps, with the reform timeline's
  events marked.
* **What-if**: the draft against the baseline with several paired seeds, run in the
  background (a Solara task; the runs go to a process pool) with a progress bar; the
  effects in the brief's words and precision; "save as scenario".
* **Results folder**: an existing batch's results, as the brief shows them.

Mesa's ``SolaraViz`` itself is not used as the page: it fixes the page's bar, an English
sidebar and numbered tabs of draggable cards, where this page has three views and
switches language; its parts (``ModelController``, ``UserInputs``, the plot
components) are what the page uses. Their own button labels (Reset, Step) stay as Mesa
writes them.

Modules:
    state: the reactive state of a browser tab, and the runs' shared process pool.
    parts: small parts the views share (captions, headings, selects, tables, figures).
    sidebar: the scenario being edited.
    watch_tab, whatif_tab, results_tab: the three tabs.
"""

from __future__ import annotations

import solara
import solara.lab

from sim.app.page.parts import STYLE, font_css, t
from sim.app.page.results_tab import ResultsView
from sim.app.page.sidebar import ScenarioEditor
from sim.app.page.state import lang
from sim.app.page.watch_tab import WatchView
from sim.app.page.whatif_tab import WhatIfView
from sim.app.text import LANGUAGE_NAMES
from sim.core.lang import LANGS


@solara.component
def Page() -> None:
    """The explorer: language switch, the scenario in the sidebar, three tabs."""
    lg = lang.value
    solara.Style(STYLE + font_css())
    solara.Title(t("title"))
    with solara.AppBar():
        solara.AppBarTitle(t("title"))
        for code, name in zip(LANGS, LANGUAGE_NAMES, strict=True):
            solara.Button(
                name,
                text=code != lg,
                outlined=code == lg,
                small=True,
                on_click=lambda c=code: lang.set(c),
                classes=[f"zs-lang-{code}"],
            )
    with solara.Sidebar():
        ScenarioEditor()
    with solara.lab.Tabs(lazy=True):
        with solara.lab.Tab(t("tab_watch")):
            WatchView()
        with solara.lab.Tab(t("tab_whatif")):
            WhatIfView()
        with solara.lab.Tab(t("tab_results")):
            ResultsView()
