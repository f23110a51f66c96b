"""A module only a sandbox child imports (test_sandbox_ocr.test_a_named_function_is_imported_in_the_child_only)."""
import os


def loaded_where(n: int) -> tuple[int, int]:
    return n * 2, os.getpid()
