"""Package exports that load their module on first use.

Importing any module of a package runs the package's `__init__` first; an `__init__` that
re-exports heavy modules (numpy, pandas, the driver) would make `infoops --help` pay for
them. With `lazy_exports` an `__init__` names its exports without importing them, and
`from toolkit.report import build_report` still works: the package's module type looks the
name up in its submodule on first use (PEP 562's `__getattr__`, on the module's class).
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Mapping
from typing import Any


def lazy_exports(package: str, where: Mapping[str, str]) -> None:
    """Serve each name of `where` (name -> the submodule defining it, e.g. '.build') from
    its submodule when `package` is first asked for it."""

    class LazyPackage(types.ModuleType):
        def __getattr__(self, name: str) -> Any:
            if name not in where:
                raise AttributeError(f"module {package!r} has no attribute {name!r}")
            value = getattr(importlib.import_module(where[name], package), name)
            setattr(self, name, value)
            return value

        def __setattr__(self, name: str, value: Any) -> None:
            # Importing a submodule binds it on its package. Where an export is named as
            # its submodule (`generate` in toolkit/sample/generate.py) the export keeps the
            # name, as an eager `from .generate import generate` would.
            if isinstance(value, types.ModuleType) and where.get(name) == "." + name:
                value = getattr(value, name)
            super().__setattr__(name, value)

    sys.modules[package].__class__ = LazyPackage
