"""Reliability: the fault matrix, parser and renderer fuzzing, and secrets."""
