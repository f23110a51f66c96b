"""Fixtures for the sample-filing generator: the 2023 call and the demo scenarios, built once."""
from __future__ import annotations

import time

import pytest

from config.call import load_call
from demo.samples.scenarios import build_scenarios


@pytest.fixture(scope="session")
def call():
    return load_call("2023")


@pytest.fixture(scope="session")
def built(call):
    t = time.perf_counter()
    scenarios = build_scenarios(call)
    return scenarios, time.perf_counter() - t


@pytest.fixture(scope="session")
def scenarios(built):
    return {s.name: s for s in built[0]}
