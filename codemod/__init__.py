"""schemafix: repair TypeScript schema folders whose imports, relations and barrels
point at an old layout. The public entry points are the CLI (``codemod.cli``) and
``codemod.engine.run``."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("schemafix")
except PackageNotFoundError:  # running from a checkout that was not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
