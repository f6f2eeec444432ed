"""Unit quality-objective (MTCL) plans: distribute, collect, validate, consolidate, results."""
