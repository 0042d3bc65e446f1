"""The names of a batch folder: its entries, its part files and its run keys."""

from __future__ import annotations

import re

#: Format marker of a batch folder's manifest.
FORMAT = "zonesim-batch/2"
MANIFEST = "manifest.json"
RUNS = "runs.parquet"
INDEX = "parts.jsonl"
ANNUAL = "annual"
ZONES = "zones"
QUARANTINE = "quarantine"
LOCK = ".lock"
#: Every name the store writes at the top of a batch folder.
OWN_ENTRIES = (MANIFEST, RUNS, INDEX, ANNUAL, ZONES, QUARANTINE, LOCK)
SUBFOLDERS = (ANNUAL, ZONES, QUARANTINE)
#: Names of the part files the store writes (``part-<ns hex>-<pid>-<counter>.parquet``).
PART_PATTERN = re.compile(r"part-[0-9a-f]{1,20}-[0-9]{1,10}-[0-9]{5,}\.parquet")
#: A sha256 checksum as the part index writes it.
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")
KEY_COLUMNS = ("scenario", "replicate", "sample", "run_id")
RUN_COLUMNS = ("scenario", "replicate", "sample", "seed", "start", "end", "run_id", "params")

#: A run's store key: scenario, replicate, sample (-1 outside sample designs), run id.
Key = tuple[str, int, int, str]
