"""Analysis layer: calibration, sensitivity, plots and briefs (imports core + experiments)."""
