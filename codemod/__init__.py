"""schemafix: repair TypeScript schema folders whose imports, relations and barrels
point at an old layout. The public entry points are the CLI (``codemod.cli``) and
``codemod.engine.run``."""

# pyproject.toml's version (tests/test_readme.py keeps the two equal): a literal, since
# asking importlib.metadata costs a warm run a tenth of its time.
__version__ = "0.1.0"

__all__ = ["__version__"]
