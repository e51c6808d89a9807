"""Names in prose through a configured spaCy pipeline, loaded the way a user's model is.

The tests build their own small Dutch pipeline (blank `nl` with an entity ruler that knows a
few generated names and a town), save it to a temporary directory and configure its path: the
real loading path, without any download.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leakguard.detectors.engine import Detector
from leakguard.detectors.recognizers import Reject
from leakguard.detectors.settings import DetectionSettings
from leakguard.detectors.text import Window
from leakguard.errors import ConfigError
from leakguard.models import Candidate, Category, Fragment, Origin
from leakguard.rule_examples import expand
from leakguard.ruleset import load_builtin_rules

from conftest import leakguard

PII_RULES = [rule for rule in load_builtin_rules() if rule.category is Category.PII]
NAMES = [expand("${gen:first-name} ${gen:last-name}", f"ner/{index}") for index in range(3)]
TOWN = "Weesp"


@pytest.fixture(scope="module")
def ner_model(tmp_path_factory: pytest.TempPathFactory) -> str:
    import spacy

    nlp = spacy.blank("nl")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [{"label": "PERSON", "pattern": name} for name in NAMES]
        + [{"label": "GPE", "pattern": TOWN}]
    )
    path = tmp_path_factory.mktemp("models") / "nl_test_ner"
    nlp.to_disk(path)
    return str(path)


@pytest.fixture(scope="module")
def with_ner(ner_model: str) -> Detector:
    return Detector(PII_RULES, engine="python", settings=DetectionSettings(ner_model=ner_model))


def found(detector: Detector, text: str, path: str) -> list[tuple[str, str, tuple[str, ...]]]:
    detection = detector.detect(Fragment(text.encode(), path, Origin.FILE))
    return [(c.entity or "", c.value, c.reasons) for c in detection.candidates]


def test_ner_finds_names_and_places_next_to_them_in_prose(with_ner: Detector) -> None:
    text = f"# Verslag\n\nHet ontwerp is besproken met {NAMES[0]} uit {TOWN}.\n"

    results = found(with_ner, text, "docs/verslag.md")

    assert ("PERSON", NAMES[0]) in [(entity, value) for entity, value, _ in results]
    assert ("LOCATION", TOWN) in [(entity, value) for entity, value, _ in results]
    assert all("ner" in reasons for _, _, reasons in results)


def test_a_place_on_its_own_is_not_personal(with_ner: Detector) -> None:
    assert found(with_ner, f"De kantoren staan in {TOWN}.\n", "README.md") == []


def test_only_comments_of_code_are_prose(with_ner: Detector) -> None:
    code = f'# afgestemd met {NAMES[1]}\nGREETING = "{NAMES[2]}"\n'

    values = [value for _, value, _ in found(with_ner, code, "app/views.py")]

    assert values == [NAMES[1]]


def test_only_markdown_cells_of_a_notebook_are_prose(with_ner: Detector) -> None:
    notebook = (
        '{\n "cells": [\n  {\n   "cell_type": "markdown",\n   "metadata": {},\n'
        f'   "source": [\n    "Analyse voor {NAMES[0]}\\n"\n   ]\n  }},\n'
        '  {\n   "cell_type": "code",\n   "metadata": {},\n'
        f'   "source": [\n    "naam = \\"{NAMES[1]}\\"\\n"\n   ]\n  }}\n ]\n}}\n'
    )

    results = found(with_ner, notebook, "analyse.ipynb")

    assert [(entity, value) for entity, value, _ in results] == [("PERSON", NAMES[0])]


def test_without_a_model_prose_is_not_read_by_ner_and_verbose_says_so() -> None:
    detector = Detector(PII_RULES, engine="python")
    fragment = Fragment(f"Besproken met {NAMES[0]}.\n".encode(), "README.md", Origin.FILE)

    detection = detector.detect(fragment, explain=True)

    assert detection.candidates == []
    assert any("not checked by NER" in r.reason for r in detection.rejections)


def test_without_a_model_code_files_are_turned_away_before_any_window() -> None:
    """Names in prose fire on every fragment; without NER the engine builds no window for a
    file the recognizer would not read (a tenth of the detection CPU on a history of small
    files)."""
    [rule] = [rule for rule in PII_RULES if rule.id == "pii-nl-person-prose"]
    detector = Detector([rule], engine="python")
    detector.detect(Fragment(b"# Notities\n", "NOTES.md", Origin.FILE))  # makes the recognizer
    recognizer = detector._recognizer(0)
    confirm = recognizer.confirm
    asked: list[str] = []

    def noting(window: Window, reject: Reject) -> Iterator[Candidate]:
        asked.append(window.owner.fragment.path)
        return confirm(window, reject)

    recognizer.confirm = noting  # type: ignore[method-assign]
    for path in ("app/views.py", "docs/intro.md", "data/export.unknown", "analyse.ipynb"):
        detector.detect(Fragment(b"Met vriendelijke groet,\n", path, Origin.FILE))

    assert asked == ["docs/intro.md", "analyse.ipynb"]


def test_a_configured_model_that_is_missing_is_a_configuration_error(tmp_path: Path) -> None:
    missing = tmp_path / "no_such_model"

    with pytest.raises(ConfigError, match="spacy download"):
        Detector(PII_RULES, settings=DetectionSettings(ner_model=str(missing)))
    with pytest.raises(ConfigError, match="not installed"):
        Detector(PII_RULES, settings=DetectionSettings(ner_model="nl_core_news_none"))


def test_the_command_line_exits_2_for_a_missing_model(tmp_path: Path) -> None:
    result = leakguard(
        "stdin", "--ner-model", str(tmp_path / "absent"), stdin=b"Besproken met iemand.\n"
    )

    assert result.code == 2
    assert "spacy download" in result.stderr
