"""Imported once by the fork server (a ``forkserver`` preload module), nowhere else.

It ties the fork server's life to the process that started it
(:func:`sim.experiments.lifeline.die_with_parent`), so the server does not outlive a
batch whose main process was killed, makes it ignore SIGTERM sent to the process group
(the main process ends the batch; :mod:`sim.experiments.lifeline`), and computes the
code identity once (:func:`sim.experiments.identity.code_identity`), from the code the
workers fork with.
"""

from __future__ import annotations

from sim.experiments.identity import code_identity
from sim.experiments.lifeline import die_with_parent, ignore_sigterm

die_with_parent()
ignore_sigterm()
code_identity()
