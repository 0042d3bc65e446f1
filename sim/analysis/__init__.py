"""Analysis layer: calibration, sensitivity analysis, plots and briefs (imports core + experiments)."""
