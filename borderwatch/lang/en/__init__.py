"""English: read with spaCy's English model (a dependency parse), so the stages' parse rules apply."""
