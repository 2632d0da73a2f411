"""Not a package of the product: this file lets pytest import ``docs/conftest.py`` as
``docs.conftest``, beside ``tests/conftest.py`` (two top-level ``conftest`` modules
would clash)."""
