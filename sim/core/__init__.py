"""The model: parameter and zone registries, agents, the Mesa model and the run boundary.

Nothing here imports experiments, analysis, storage or plotting.
"""
