"""A repository with personal data spread over CSV, JSON, SQL, logs, Markdown and a notebook
whose output a later commit clears: `leakguard git` finds every planted item with the commit
that added it, and `leakguard staged` finds what is about to be committed.

Every value is generated at run time; the files also hold near misses (order numbers that pass
the 11-proef, fictional test BSNs, role addresses) that must not be reported.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from leakguard.rule_examples import expand

from conftest import GitRepo, leakguard

Planted = tuple[str, str, str]  # (path, entity, value)


class Planter:
    """Generates values and remembers which must be found, and where."""

    def __init__(self) -> None:
        self.count = 0
        self.items: list[Planted] = []

    def value(self, template: str) -> str:
        self.count += 1
        return expand(template, f"repository/{self.count}")

    def plant(self, path: str, entity: str, template: str) -> str:
        value = self.value(template)
        self.items.append((path, entity, value))
        return value


def export_csv(p: Planter, path: str = "data/klanten.csv") -> str:
    rows = ["id;voornaam;achternaam;bsn;geboortedatum;email;telefoon;iban"]
    for number in range(1, 4):
        rows.append(
            ";".join(
                [
                    str(number),
                    p.plant(path, "PERSON", "${gen:first-name}"),
                    p.plant(path, "PERSON", "${gen:last-name}"),
                    p.plant(path, "BSN", "${gen:bsn}"),
                    p.plant(path, "DATE_OF_BIRTH", "${gen:birthdate}"),
                    p.plant(path, "EMAIL_ADDRESS", "${gen:email}"),
                    p.plant(path, "PHONE_NUMBER", "${gen:phone}"),
                    p.plant(path, "IBAN", "${gen:iban}"),
                ]
            )
        )
    return "\n".join(rows) + "\n"


def fixture_json(p: Planter) -> str:
    path = "tests/fixtures/personen.json"
    people = [
        {
            "burgerservicenummer": p.plant(path, "BSN", "${gen:bsn}"),
            "aNummer": p.plant(path, "A_NUMMER", "${gen:a-nummer}"),
            "naam": {
                "voornamen": p.plant(path, "PERSON", "${gen:first-name}"),
                "geslachtsnaam": p.plant(path, "PERSON", "${gen:last-name}"),
            },
            "geboorte": {
                "datum": {"datum": p.plant(path, "DATE_OF_BIRTH", "${gen:birthdate:iso}")}
            },
            "verblijfplaats": {"postcode": p.plant(path, "POSTCODE", "${gen:postcode:compact}")},
        },
        {"burgerservicenummer": p.value("${gen:bsn:test}"), "ordernummer": p.value("${gen:bsn}")},
    ]
    return json.dumps({"personen": people}, indent=2) + "\n"


def seed_sql(p: Planter) -> str:
    path = "db/seed.sql"
    rows = [
        f"  ({number}, '{p.plant(path, 'PERSON', '${gen:full-name}')}', "
        f"'{p.plant(path, 'BSN', '${gen:bsn:dotted}')}', "
        f"'{p.plant(path, 'ID_DOCUMENT', '${gen:id-document}')}', {p.value('${gen:bsn}')})"
        for number in (1, 2)
    ]
    return (
        "CREATE TABLE aanvragers (id int, naam text, bsn text, paspoortnummer text, zaak int);\n"
        "INSERT INTO aanvragers (id, naam, bsn, paspoortnummer, zaak) VALUES\n"
        + ",\n".join(rows)
        + ";\n"
    )


def app_log(p: Planter) -> str:
    path = "logs/app.log"
    lines = [
        f"2024-03-01 09:12:01 INFO aanvraag ontvangen bsn={p.plant(path, 'BSN', '${gen:bsn}')} "
        f"zaak={p.value('${gen:bsn}')}",
        f"2024-03-01 09:12:02 INFO mail naar {p.plant(path, 'EMAIL_ADDRESS', '${gen:email}')}",
        f"2024-03-01 09:12:03 INFO sms {p.plant(path, 'PHONE_NUMBER', '${gen:phone:mobile-intl}')}",
        f"2024-03-01 09:12:04 INFO kopie naar {p.value('${gen:email:role}')}",
    ]
    return "\n".join(lines) + "\n"


def contact_md(p: Planter) -> str:
    path = "docs/contact.md"
    return (
        "# Contact\n\n"
        f"Vragen over deze aanvraag: mevrouw {p.plant(path, 'PERSON', '${gen:last-name:capital}')} "
        f"({p.plant(path, 'PHONE_NUMBER', '${gen:phone}')}).\n\n"
        f"De aanvrager woont op {p.plant(path, 'ADDRESS', '${gen:address:full}')}.\n\n"
        "Met vriendelijke groet,\n\n"
        f"{p.plant(path, 'PERSON', '${gen:full-name}')}\n"
    )


def notebook(p: Planter, with_output: bool) -> str:
    path = "notebooks/analyse.ipynb"
    rows = []
    if with_output:
        for index in range(2):
            bsn = p.plant(path, "BSN", "${gen:bsn}")
            name = p.plant(path, "PERSON", "${gen:full-name}")
            rows.append(f"{index}  {bsn}  {name}\\n")
    outputs = (
        [
            {
                "data": {"text/plain": ["         bsn        naam\\n", *rows]},
                "output_type": "execute_result",
            }
        ]
        if with_output
        else []
    )
    cell = {"cell_type": "code", "metadata": {}, "outputs": outputs, "source": ["df.head()"]}
    text = json.dumps({"cells": [cell], "nbformat": 4}, indent=1)
    return text.replace("\\\\n", "\\n")  # the printout's line ends, as Jupyter writes them


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[GitRepo, dict[Planted, str]]:
    base = tmp_path_factory.mktemp("pii-history")
    repo = GitRepo(base / "repo", base / "home")
    planter = Planter()
    commits: dict[Planted, str] = {}

    def commit(message: str, files: dict[str, str | None], build: Callable[[], None]) -> None:
        before = len(planter.items)
        build()
        sha = repo.commit(
            message, **{name.replace("/", "__"): text for name, text in files.items()}
        )
        for item in planter.items[before:]:
            commits[item] = sha

    files: dict[str, str | None] = {}
    commit("export", files, lambda: files.update({"data/klanten.csv": export_csv(planter)}))
    files = {}
    commit(
        "fixtures and seed",
        files,
        lambda: files.update(
            {
                "tests/fixtures/personen.json": fixture_json(planter),
                "db/seed.sql": seed_sql(planter),
            }
        ),
    )
    files = {}
    commit(
        "logs and docs",
        files,
        lambda: files.update(
            {"logs/app.log": app_log(planter), "docs/contact.md": contact_md(planter)}
        ),
    )
    files = {}
    commit(
        "analysis",
        files,
        lambda: files.update({"notebooks/analyse.ipynb": notebook(planter, True)}),
    )
    commit("clear outputs", {"notebooks/analyse.ipynb": notebook(planter, False)}, lambda: None)
    commit("remove the export", {"data/klanten.csv": None}, lambda: None)
    return repo, commits


def findings(result_json: dict[str, object]) -> list[tuple[str, str, str, str | None]]:
    return [
        (f["location"]["path"], f["entity"], f["value"]["plain"], f["location"]["commit"])
        for f in result_json["findings"]  # type: ignore[index]
    ]


def test_git_finds_every_planted_item_with_its_commit(
    history: tuple[GitRepo, dict[Planted, str]],
) -> None:
    repo, commits = history

    result = leakguard("git", str(repo.path), "--format", "json", "--show-values")

    assert result.code == 1, result.stderr
    found = findings(result.json())
    for (path, entity, value), sha in commits.items():
        assert (path, entity, value, sha) in found, f"{entity} in {path} not found at its commit"
    assert len(found) == len(commits), "reported more than was planted"


def test_staged_finds_what_is_about_to_be_committed(
    history: tuple[GitRepo, dict[Planted, str]],
) -> None:
    repo, _ = history
    planter = Planter()
    planter.count = 1000
    repo.write("data/nieuw.csv", export_csv(planter, "data/nieuw.csv"))
    repo.write("docs/contact.md", contact_md(planter))
    repo.git("add", "data/nieuw.csv", "docs/contact.md")

    result = leakguard("staged", str(repo.path), "--format", "json", "--show-values")

    assert result.code == 1, result.stderr
    found = {(path, entity, value) for path, entity, value, _ in findings(result.json())}
    assert found == set(planter.items)


@pytest.mark.parametrize("engine", ["hyperscan", "python"])
def test_an_address_with_a_domain_of_hundreds_of_characters_is_found(
    repo: GitRepo, engine: str
) -> None:
    # The e-mail rule's first pass looks 200 characters into a domain for a dot and two
    # letters; a domain whose labels start with digits has them only at its end.
    if engine == "hyperscan":
        pytest.importorskip("hyperscan")
    local, _, domain = expand("${gen:email}", "long-domain").partition("@")
    names = (expand("${gen:last-name}", f"label/{n}") for n in range(8))
    labels = ".".join(
        f"{n}{''.join(filter(str.isalpha, name)).lower() * 5}" for n, name in enumerate(names)
    )
    address = f"{local}@{labels[:240].strip('.')}.{domain}"
    assert len(address.partition("@")[2]) > 250
    sha = repo.commit("contact", **{"contact.txt": f"mail: {address}\n"})

    result = leakguard(
        "git", str(repo.path), "--format", "json", "--show-values", "--engine", engine
    )

    assert result.code == 1, result.stderr
    assert ("contact.txt", "EMAIL_ADDRESS", address, sha) in findings(result.json())


def test_a_line_that_said_nothing_alone_is_judged_again_in_a_record(repo: GitRepo) -> None:
    # `naam` speaks for a name only in a record with another personal field: the same line
    # alone in one file, and in a record in the next, is a finding only in the record.
    name = expand("${gen:full-name}", "record/name")
    email = expand("${gen:email}", "record/email")
    repo.commit("alone", **{"a.yaml": f"id: 1\nnaam: {name}\nstatus: open\n"})
    sha = repo.commit("record", **{"b.yaml": f"id: 1\nnaam: {name}\nemail: {email}\n"})

    result = leakguard("git", str(repo.path), "--format", "json", "--show-values")

    found = findings(result.json())
    assert ("b.yaml", "PERSON", name, sha) in found
    assert not [item for item in found if item[0] == "a.yaml"]
