"""The brief's methods section.

Calibration against the targets, sensitivity analysis and the model's assumptions.

Each function takes the :class:`~sim.analysis.brief.sections.Context` of the brief
being built and appends its part, as the functions of
:mod:`~sim.analysis.brief.sections` do.
"""

from __future__ import annotations

from sim.analysis.brief.data import (
    changed_parameters,
)
from sim.analysis.brief.formatting import (
    fmt_number,
    shown_path,
    truthy,
)
from sim.analysis.brief.sections import Context
from sim.analysis.brief.text import heading, param_description, unit_label
from sim.core.params import REGISTRY


def methods_section(c: Context) -> None:
    """The methods box: design, calibration fit, sensitivities and assumptions."""
    c.doc.open("section", "methods")
    c.doc.heading(2, heading("methods", c.lang), "methods")
    design = [c.t("batch_design", reps=c.replicates, start=c.first, end=c.last)]
    if c.posterior_used:
        design.append(c.t("posterior_used", names=", ".join(c.posterior_used)))
    else:
        design.append(c.t("posterior_absent"))
    c.doc.items(design)
    calibration_section(c)
    sensitivity_section(c)
    assumptions_section(c)
    c.doc.close("section")


#: Signs of one-sided calibration targets before their value.
BOUND_SIGNS = {"at_least": "≥ ", "at_most": "≤ "}


def calibration_section(c: Context) -> None:
    """The calibration fit: each target's kind, value, source and simulated value."""
    t, doc, cal = c.t, c.doc, c.calibration
    doc.heading(3, t("calibration_head"))
    if cal is None:
        doc.para(t("calibration_none"))
        return
    doc.para(t("calibration_from", path=shown_path(cal.path)))
    table = cal.table
    counts = cal.counts()
    doc.para(
        t(
            "calibration_roles",
            fitted=counts.get("fitted", 0),
            checked=counts.get("checked", 0),
            structural=counts.get("structural", 0),
        )
    )
    extra = [col for col in ("tolerance", "within") if col in table.columns]
    doc.table(
        [t("target"), t("role"), t("kind"), t("source"), t("target_value"), t("simulated"),
         *(t(col) for col in extra)],
        [
            [
                str(r["target"]),
                t("unknown") if cal.role(r) == "unknown" else t(f"role_{cal.role(r)}"),
                t(f"kind_{r['bound']}"),
                str(r["source"]).removeprefix("facts: ") or "–",
                BOUND_SIGNS.get(r["bound"], "") + fmt_number(r["value"]),
                fmt_number(r["simulated"]),
                *(
                    (t("yes") if truthy(r[col]) else t("no"))
                    if col == "within"
                    else fmt_number(r[col])
                    for col in extra
                ),
            ]
            for _, r in table.iterrows()
        ],
        numeric=4,
    )  # fmt: skip
    verdicts = cal.verdicts()
    if verdicts:
        doc.para(
            t(
                "caveat_ident",
                n=sum(len(v) for v in verdicts.values()),
                identified=len(verdicts.get("identified", [])),
                weak=len(verdicts.get("weakly identified", [])),
                none=len(verdicts.get("not identified", [])),
            )
        )
    if cal.distance is not None:
        doc.para(t("calibration_distance", distance=fmt_number(cal.distance)), cls="note")


def sensitivity_section(c: Context) -> None:
    """The most influential parameters of every sensitivity analysis found."""
    t, doc = c.t, c.doc
    doc.heading(3, t("sensitivity_head"))
    if not c.sensitivity:
        doc.para(t("sensitivity_none"))
    for sens in c.sensitivity:
        doc.para(t("sensitivity_from", method=sens.method, path=shown_path(sens.path)))
        doc.table(
            [t("output"), t("top_params")],
            [
                [out, ", ".join(f"{p} ({v:.2g})" for p, v in items)]
                for out, items in sens.top.items()
            ],
        )


def assumptions_section(c: Context) -> None:
    """The assumed parameters: the mode effects in full, the others by name."""
    t, doc, data = c.t, c.doc, c.data
    doc.heading(3, t("assumed_head"))
    assumed = [p for p in REGISTRY.values() if p.is_assumption]
    doc.para(t("assumed_intro", n=len(assumed), total=len(REGISTRY)))
    doc.table(
        [t("param"), t("value"), t("range"), t("meaning")],
        [
            [
                p.name,
                f"{p.default:g}",
                f"{p.lower:g}–{p.upper:g} {unit_label(p.unit, c.lang)}".rstrip(),
                param_description(p.name, c.lang),
            ]
            for p in assumed
            if p.group == "modes"
        ],
    )
    others = [p.name for p in assumed if p.group != "modes"]
    if others:
        doc.para(t("other_assumptions", items=", ".join(f"`{n}`" for n in others)))
    touched = sorted(
        {
            name
            for scen in data.whatifs
            for name, _, _ in (changed_parameters(data, scen) or [])
            if name in REGISTRY and REGISTRY[name].is_assumption
        }
    )
    if touched:
        doc.para(t("whatif_assumptions", items=", ".join(f"`{n}`" for n in touched)))
