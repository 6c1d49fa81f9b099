"""Settings for the whole suite."""

from __future__ import annotations

import os

from hypothesis import settings

# `make test` (and CI) replays the same generated examples on every run, so a red build always means a change
# broke something; `make fuzz` sets PLANFORGE_FUZZ_EXAMPLES and explores new examples, remembering failures.
if "PLANFORGE_FUZZ_EXAMPLES" not in os.environ:
    settings.register_profile("repeatable", derandomize=True, database=None)
    settings.load_profile("repeatable")
