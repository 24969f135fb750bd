"""Vietnamese: no parser; the pack's data (pack.json) is all the stages need."""
