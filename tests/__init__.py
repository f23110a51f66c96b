"""The test suite (a package, so tests/demo or tests/bot never shadow the product packages)."""
