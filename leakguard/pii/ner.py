"""spaCy pipelines for names in prose: checked cheaply when configured, loaded on first use.

Nothing here imports spaCy at module level: a scan without a configured model never loads it,
and a configured one is only loaded when a prose fragment reaches NER.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

from leakguard.errors import ConfigError

INSTALL_HINT = (
    "install a Dutch spaCy pipeline, e.g. `python -m spacy download nl_core_news_md` "
    "(or `pip install nl_core_news_md` from a wheel you trust), or give the path of a "
    "pipeline directory saved with `nlp.to_disk()`"
)


def check_model(name: str) -> None:
    """Fail now (exit 2) when a configured pipeline is neither a directory nor an installed
    package; costs a file-system lookup, not an import."""
    if Path(name).expanduser().is_dir():
        return
    if "/" not in name and "\\" not in name and name.isidentifier():
        try:
            if importlib.util.find_spec(name) is not None:
                return
        except (ImportError, ValueError):
            pass
    raise ConfigError(f"the NER model {name!r} is not installed: {INSTALL_HINT}")


@cache
def load_model(name: str) -> Any:
    """The spaCy pipeline, loaded once per process."""
    import spacy

    try:
        return spacy.load(Path(name).expanduser() if Path(name).expanduser().is_dir() else name)
    except (OSError, ImportError, ValueError) as exc:
        raise ConfigError(
            f"the NER model {name!r} could not be loaded ({type(exc).__name__}): {INSTALL_HINT}"
        ) from None
