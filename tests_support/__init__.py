"""Test support code shared by tests and benchmarks (real servers started on loopback)."""
