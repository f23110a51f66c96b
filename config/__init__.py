"""Typed configuration: environment settings and the call's rules (one TOML file per call)."""
