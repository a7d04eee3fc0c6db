"""A package, so this folder's conftest imports as ``exporters.conftest``: as a bare ``conftest`` it
would replace tests/conftest.py in ``sys.modules`` for tests that import from it."""
