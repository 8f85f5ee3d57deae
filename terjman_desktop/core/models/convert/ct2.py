"""``ctranslate2.specs``, imported without importing torch.

``ctranslate2/specs/model_spec.py`` runs ``try: import torch`` so that CTranslate2's own
converters can take torch tensors. This converter never gives it one, and where torch is
installed (a developer's machine, the trainer) importing it would cost seconds and hundreds
of megabytes, and break the rule that the core never loads torch. So, when torch is not
loaded yet, it is hidden while ``ctranslate2.specs`` is imported. If torch is imported later
in the same process (a test comparing with the torch conversion, the trainer), a one-shot
import hook tells ``model_spec`` about it, leaving it as if it had seen torch from the start.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

_lock = threading.Lock()


def specs() -> ModuleType:
    """The ``ctranslate2.specs`` module, torch left alone (see the module docstring)."""
    with _lock:
        if "ctranslate2.specs" in sys.modules or "torch" in sys.modules:
            import ctranslate2.specs

            module: ModuleType = ctranslate2.specs
            return module
        installed = importlib.util.find_spec("torch") is not None
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
        try:
            import ctranslate2.specs
        finally:
            if sys.modules.get("torch", 0) is None:
                del sys.modules["torch"]
        if installed:
            sys.meta_path.insert(0, _TellSpecsAboutTorch())
        module = ctranslate2.specs
        return module


class _TellSpecsAboutTorch(importlib.abc.MetaPathFinder):
    """When torch is imported, set ``model_spec.torch`` as its own ``import torch`` would."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "torch":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec("torch")
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        execute = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            execute(module)
            from ctranslate2.specs import model_spec

            model_spec.torch = module
            model_spec.torch_is_available = True

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def spec_module_attribute(name: str) -> Any:
    """An attribute of ``ctranslate2.specs.model_spec`` (constants of the file format)."""
    specs()
    from ctranslate2.specs import model_spec

    return getattr(model_spec, name)
