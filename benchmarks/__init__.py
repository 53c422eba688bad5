"""Benchmarks for atrocity-kg: a synthetic corpus generator, a runner and baselines (see README.md)."""
