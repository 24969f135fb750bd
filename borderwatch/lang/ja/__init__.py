"""Japanese: no parser; sentences end at 。; the rules beyond the pack's patterns are its own."""

from __future__ import annotations

from typing import Any

from borderwatch.lang.ja import claims, rules

RULES: dict[str, Any] = {
    "substance_for": rules.substance_for,
    "arrests_in": rules.arrests_in,
    "statistic_period": rules.statistic_period,
    "extract_quotes": claims.extract_quotes,
    "flow_directions": claims.flow_directions,
}
