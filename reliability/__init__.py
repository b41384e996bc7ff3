"""Fuzzers and fault drills behind RELIABILITY.md, shared by the benchmarks in bench/ and the
tests."""
