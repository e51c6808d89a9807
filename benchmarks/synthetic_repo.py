"""A large synthetic repository with the shape of a municipal web project, built in seconds.

The real benchmark repositories (Amsterdam's signals-frontend, mijn-amsterdam-frontend, ...)
need a network to fetch. This generator gives anyone the same *performance shape* offline:
thousands of commits on a main branch with merged feature branches, a few abandoned branches
and tags; TypeScript/React components with Jest snapshot files that change with them; a Python
API; JSON fixtures, YAML deployment files, CSV open data and markdown docs; a 1 MB
`package-lock.json` that changes every dozen commits (in the real frontends, lock files are
56-84 % of all blob bytes); a minified vendor bundle (one long line) and some binary images.
A few fake secrets and fake Dutch personal data are planted at fixed commits; they are built at
run time (checksums and all), so this file holds none.

Everything comes from one seeded random generator, so the same `--seed` and `--scale` give the
same bytes, and therefore the same commit ids, on every machine. The history is written with
`git fast-import` (blobs by mark, so content shared between branches is stored once).

    python benchmarks/synthetic_repo.py /tmp/synth                 # scale 1: 3,000 commits
    python benchmarks/synthetic_repo.py /tmp/synth --scale 4       # 12,000 commits
    python benchmarks/synthetic_repo.py /tmp/tiny --scale 0.01     # 30 commits, for tests

`--scale` multiplies the number of commits (3,000 at 1) and grows the number of source files
and lock-file packages with its square root. `--manifest FILE` writes what was planted where
(rule family, path, commit; never the values).
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import random
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

COMMITS_AT_SCALE_1 = 3000
START = 1_546_300_800  # 2019-01-01, UTC

WORDS = [
    "melding",
    "categorie",
    "wijk",
    "stadsdeel",
    "afval",
    "container",
    "locatie",
    "status",
    "afdeling",
    "gebruiker",
    "parkeren",
    "vergunning",
    "subsidie",
    "kaart",
    "adres",
    "straat",
    "overlast",
    "openbare",
    "ruimte",
    "handhaving",
    "zaak",
    "document",
    "bijlage",
    "formulier",
    "notificatie",
    "rapportage",
    "planning",
    "route",
    "voertuig",
]
CODE_WORDS = [
    "fetch",
    "render",
    "state",
    "props",
    "value",
    "items",
    "filter",
    "config",
    "service",
    "handler",
    "request",
    "response",
    "auth",
    "token",
    "session",
    "user",
    "password",
    "login",
    "logout",
    "apiKey",
    "secretName",
    "header",
    "client",
]
STADSDELEN = ["Centrum", "Noord", "Oost", "West", "Zuid", "Nieuw-West", "Zuidoost", "Weesp"]
BANKS = ["ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB"]
PACKAGE_PARTS = [
    "react",
    "redux",
    "router",
    "dom",
    "query",
    "form",
    "table",
    "icons",
    "utils",
    "core",
    "types",
    "test",
    "lint",
    "babel",
    "loader",
    "plugin",
    "preset",
    "parser",
    "style",
    "theme",
    "date",
    "intl",
    "map",
    "leaflet",
    "geo",
    "polyfill",
    "runtime",
    "cli",
    "env",
]


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def ident(rng: random.Random) -> str:
    return rng.choice(CODE_WORDS) + rng.choice(WORDS).title()


# ---------------------------------------------------------------------------------------------
# Line makers, one per kind of file: code-like text with the keywords real code has (token,
# password, auth, ...), dates, ids, postcodes and 8-digit numbers, so the scanners' prefilters
# get realistic hits to confirm.


def ts_line(rng: random.Random) -> str:
    name = ident(rng)
    pick = rng.randrange(10)
    if pick == 0:
        return f"import {{ {name} }} from '../{rng.choice(WORDS)}/{rng.choice(WORDS)}'"
    if pick == 1:
        return f"  const {name} = use{rng.choice(WORDS).title()}(props.{rng.choice(CODE_WORDS)})"
    if pick == 2:
        return f"  const authToken = getAuthToken() // {words(rng, 4)}"
    if pick == 3:
        return f"    <{rng.choice(WORDS).title()}Label>{words(rng, 3)}</{name.title()}Label>"
    if pick == 4:
        return f"  password: yup.string().required('{words(rng, 3)}'),"
    if pick == 5:
        return f"  if (!{name}?.{rng.choice(CODE_WORDS)}) return null"
    if pick == 6:
        action = rng.choice(WORDS).upper()
        return f"  dispatch({{ type: '{action}_UPDATED', id: {rng.randrange(99999)} }})"
    if pick == 7:
        return f"  // {words(rng, rng.randrange(3, 12))}"
    return f"  {name}: {rng.randrange(1000)},"


def py_line(rng: random.Random) -> str:
    name = ident(rng).lower()
    pick = rng.randrange(9)
    if pick == 0:
        return f"from signals.apps.{rng.choice(WORDS)} import {ident(rng)}"
    if pick == 1:
        return f"    {name} = models.CharField(max_length={rng.randrange(16, 512)}, blank=True)"
    if pick == 2:
        return f"    token = request.headers.get('Authorization', '').split(' ')[-1]  # {name}"
    if pick == 3:
        return f"        self.assertEqual(response.status_code, {rng.choice([200, 201, 400, 404])})"
    if pick == 4:
        return f"    PASSWORD_HASHERS = settings.{name.upper()}_HASHERS"
    if pick == 5:
        return f"    # {words(rng, rng.randrange(3, 10))}"
    if pick == 6:
        return f"    created_at = datetime({2019 + rng.randrange(6)}, {rng.randrange(1, 13)}, 1)"
    return f"    {name} = {rng.randrange(100000)}"


def yaml_line(rng: random.Random) -> str:
    pick = rng.randrange(6)
    if pick == 0:
        return f"  {rng.choice(WORDS)}_enabled: {rng.choice(['true', 'false'])}"
    if pick == 1:
        return f"      - name: {rng.choice(WORDS).upper()}_PASSWORD"
    if pick == 2:
        return f"        valueFrom: {{ secretKeyRef: {{ name: {rng.choice(WORDS)}, key: token }} }}"
    if pick == 3:
        return f"  replicas: {rng.randrange(1, 6)}"
    return f"  # {words(rng, 5)}"


def md_line(rng: random.Random) -> str:
    pick = rng.randrange(5)
    if pick == 0:
        return f"## {words(rng, 3).title()}"
    if pick == 1:
        return f"- `{ident(rng)}`: {words(rng, 8)}"
    return " ".join(words(rng, rng.randrange(6, 18)).split()).capitalize() + "."


def csv_row(rng: random.Random, number: int) -> str:
    """A public object (a waste container): an address of a place, not of a person."""
    letters = "ABCDEGHJKLMNPRSTVWXZ"
    postcode = f"{rng.randrange(1011, 1109)} {rng.choice(letters)}{rng.choice(letters)}"
    return (
        f"{number};{rng.choice(WORDS).title()}straat;{rng.randrange(1, 300)};{postcode};"
        f"{rng.choice(STADSDELEN)};{52.3 + rng.random() / 10:.6f};{4.8 + rng.random() / 10:.6f};"
        f"{rng.randrange(1, 28):02d}-{rng.randrange(1, 13):02d}-{rng.randrange(2015, 2025)}"
    )


def fixture_record(rng: random.Random) -> dict[str, object]:
    return {
        "id": rng.randrange(10_000_000, 99_999_999),
        "text": words(rng, rng.randrange(5, 25)),
        "category": rng.choice(WORDS),
        "stadsdeel": rng.choice(STADSDELEN),
        "created_at": f"20{rng.randrange(19, 25)}-{rng.randrange(1, 13):02d}-"
        f"{rng.randrange(1, 28):02d}T10:00:00+01:00",
        "status": {"state": rng.choice(["m", "i", "b", "o"]), "text": words(rng, 3)},
        "location": {
            "lat": round(52.3 + rng.random() / 10, 6),
            "lng": round(4.8 + rng.random() / 10, 6),
        },
    }


def snapshot_text(rng: random.Random, component: str, size: int) -> str:
    parts = ["// Jest Snapshot v1, https://goo.gl/fbAQLP", ""]
    for number in range(size):
        parts.append(f"exports[`{component} renders case {number} 1`] = `")
        for _ in range(rng.randrange(8, 30)):
            depth = "  " * rng.randrange(1, 6)
            parts.append(
                f'{depth}<div class="sc-{rng.getrandbits(24):06x} {rng.choice(WORDS)}" '
                f'data-testid="{rng.choice(WORDS)}-{rng.randrange(1000)}">'
                f"{words(rng, rng.randrange(1, 6))}</div>"
            )
        parts.append("`;")
        parts.append("")
    return "\n".join(parts) + "\n"


def snapshot_line(rng: random.Random) -> str:
    return (
        f'{"  " * rng.randrange(1, 6)}<span class="sc-{rng.getrandbits(24):06x}">'
        f"{words(rng, rng.randrange(1, 6))}</span>"
    )


def json_line(rng: random.Random) -> str:
    return f'    "{rng.choice(WORDS)}": "{words(rng, rng.randrange(1, 8))}",'


def png_bytes(rng: random.Random) -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(rng.randrange(2000, 20000))


# ---------------------------------------------------------------------------------------------
# The lock file: packages with versions, tarball URLs and sha512 integrity hashes, in both
# sections of lockfileVersion 2. A dependency bump changes a handful of entries.


@dataclass
class Lockfile:
    names: list[str]
    versions: list[str]
    hashes: list[str]

    @classmethod
    def create(cls, rng: random.Random, count: int) -> Lockfile:
        names: list[str] = []
        seen: set[str] = set()
        while len(names) < count:
            parts = rng.sample(PACKAGE_PARTS, rng.randrange(1, 4))
            scope = f"@{rng.choice(PACKAGE_PARTS)}/" if rng.random() < 0.2 else ""
            name = scope + "-".join(parts)
            if name not in seen:
                seen.add(name)
                names.append(name)
        versions = [cls._version(rng) for _ in names]
        hashes = [cls._hash(rng) for _ in names]
        return cls(names, versions, hashes)

    @staticmethod
    def _version(rng: random.Random) -> str:
        return f"{rng.randrange(0, 20)}.{rng.randrange(0, 30)}.{rng.randrange(0, 40)}"

    @staticmethod
    def _hash(rng: random.Random) -> str:
        return "sha512-" + base64.b64encode(rng.randbytes(64)).decode()

    def bump(self, rng: random.Random, count: int) -> None:
        for index in rng.sample(range(len(self.names)), count):
            self.versions[index] = self._version(rng)
            self.hashes[index] = self._hash(rng)

    def text(self) -> str:
        out = ['{', '  "name": "signalen-frontend",', '  "version": "2.0.0",',
               '  "lockfileVersion": 2,', '  "requires": true,', '  "packages": {']  # fmt: skip
        entries = []
        for name, version, digest in zip(self.names, self.versions, self.hashes, strict=True):
            base = name.rsplit("/", 1)[-1]
            entries.append(
                f'    "node_modules/{name}": {{\n'
                f'      "version": "{version}",\n'
                f'      "resolved": "https://registry.npmjs.org/{name}/-/{base}-{version}.tgz",\n'
                f'      "integrity": "{digest}",\n'
                f'      "dev": true\n    }}'
            )
        out.append(",\n".join(entries))
        out += ["  },", '  "dependencies": {']
        entries = [
            f'    "{name}": {{\n      "version": "{version}",\n'
            f'      "integrity": "{digest}"\n    }}'
            for name, version, digest in zip(self.names, self.versions, self.hashes, strict=True)
        ]
        out.append(",\n".join(entries))
        out += ["  }", "}"]
        return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Fake secrets and personal data, built at run time.


def bsn(rng: random.Random) -> str:
    """Nine digits that pass the 11-proef (weights 9..2, and -1 for the last digit)."""
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, [*digits, last]))


def iban(rng: random.Random) -> str:
    """A Dutch IBAN whose check digits are right (ISO 13616 mod 97)."""
    bank = rng.choice(BANKS)
    account = "".join(str(rng.randrange(10)) for _ in range(10))
    numeric = "".join(str(int(c, 36)) for c in bank + account + "NL00")
    check = 98 - int(numeric) % 97
    return f"NL{check:02d}{bank}{account}"


def mobile(rng: random.Random) -> str:
    return "06-" + "".join(str(rng.randrange(10)) for _ in range(8))


def _expand(template: str, seed: str) -> str:
    from leakguard.rule_examples import expand  # checksummed formats (GitHub's CRC32, PEM)

    return expand(template, seed)


def _rand(rng: random.Random, alphabet: str, count: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(count))


UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
B64 = ALNUM + "+/"


@dataclass(frozen=True)
class Plant:
    family: str  # what a scanner should report (a rule family, not a rule id)
    path: str
    at: float  # position in the history, 0..1
    text: Callable[[random.Random, str], str]  # (rng, seed) -> the lines to add
    removed_after: int = 0  # commits later the lines are taken out again (0: never)
    branch_only: bool = False  # on an abandoned branch: only `--all` finds it


PLANTS = (
    Plant("github-token", "src/config/local.ts", 0.12,
          lambda r, s: f"export const GITHUB_TOKEN = '{_expand('${gen:github-token:ghp}', s)}'",
          removed_after=3),
    Plant("aws-access-key", "deploy/helm/values-acc.yaml", 0.27,
          lambda r, s: f"  aws_access_key_id: AKIA{_rand(r, UPPER_DIGITS, 16)}\n"
          f"  aws_secret_access_key: {_rand(r, B64, 40)}"),
    Plant("private-key", "api/certs/dev-key.pem", 0.41,
          lambda r, s: _expand("${gen:pem-private-key:rsa}", s), removed_after=1),
    Plant("slack-webhook", "api/signals/settings/production.py", 0.55,
          lambda r, s: "SLACK_WEBHOOK = 'https://hooks.slack.com/services/"
          f"T{_rand(r, UPPER_DIGITS, 10)}/B{_rand(r, UPPER_DIGITS, 10)}/{_rand(r, ALNUM, 24)}'"),
    Plant("generic-password", "api/signals/settings/testing.py", 0.63,
          lambda r, s: f"DATABASE_PASSWORD = '{_rand(r, ALNUM, 12)}!{_rand(r, ALNUM, 9)}'",
          branch_only=True),
    Plant("jwt", "src/__fixtures__/session.json", 0.71,
          lambda r, s: f'{{"access_token": "{_expand("${gen:jwt}", s)}"}}'),
    Plant("bsn", "api/signals/fixtures/melders.json", 0.33,
          lambda r, s: f'{{"naam": "Testpersoon", "bsn": "{bsn(r)}", "iban": "{iban(r)}"}}'),
    Plant("phone-email", "data/contactpersonen.csv", 0.8,
          lambda r, s: "naam;telefoon;email\n"
          f"J. de Vries;{mobile(r)};j.devries{r.randrange(100)}@gemeente-voorbeeld.nl"),
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The history


@dataclass
class Layout:
    components: list[str]
    python: list[str]
    fixtures: list[str]
    yamls: list[str]
    docs: list[str]
    images: list[str]


def layout(rng: random.Random, scale: float) -> Layout:
    grow = math.sqrt(scale)
    components = [
        f"src/{rng.choice(['components', 'signals', 'shared', 'pages'])}/"
        f"{rng.choice(WORDS).title()}{rng.choice(WORDS).title()}{i}/index.tsx"
        for i in range(max(6, round(160 * grow)))
    ]
    python = [
        f"api/signals/apps/{rng.choice(WORDS)}/"
        f"{rng.choice(['views', 'models', 'tests', 'serializers'])}_{i}.py"
        for i in range(max(4, round(80 * grow)))
    ]
    fixtures = [
        f"src/__fixtures__/{rng.choice(WORDS)}_{i}.json" for i in range(max(2, round(20 * grow)))
    ]
    yamls = [".github/workflows/ci.yml", "deploy/helm/values.yaml", "docker-compose.yml"]
    yamls += [
        f"deploy/helm/templates/{rng.choice(WORDS)}-{i}.yaml"
        for i in range(max(1, round(10 * grow)))
    ]
    docs = ["README.md", "CHANGELOG.md"] + [
        f"docs/{rng.choice(WORDS)}-{i}.md" for i in range(max(1, round(12 * grow)))
    ]
    images = [f"public/img/{rng.choice(WORDS)}-{i}.png" for i in range(max(1, round(15 * grow)))]
    return Layout(components, python, fixtures, yamls, docs, images)  # fmt: skip


@dataclass
class Files:
    """Current content of every text file (as lines) and of the binary ones, plus marks."""

    lines: dict[str, list[str]] = field(default_factory=dict)
    raw: dict[str, bytes] = field(default_factory=dict)

    def content(self, path: str) -> bytes:
        if path in self.raw:
            return self.raw[path]
        return ("\n".join(self.lines[path]) + "\n").encode()


class Writer:
    """Writes the fast-import stream: blobs by mark, commits that refer to them."""

    def __init__(self, stream: object) -> None:
        self.stream = stream
        self.mark = 0
        self.bytes = 0

    def blob(self, data: bytes) -> int:
        self.mark += 1
        self.stream.write(b"blob\nmark :%d\ndata %d\n%s\n" % (self.mark, len(data), data))  # type: ignore[attr-defined]
        self.bytes += len(data)
        return self.mark

    def commit(
        self,
        ref: str,
        when: int,
        author: int,
        message: str,
        changes: dict[str, int | None],  # path -> blob mark, or None to delete
        parents: list[int],
    ) -> int:
        self.mark += 1
        name = f"Ontwikkelaar {author}".encode()
        email = f"dev{author}@example.invalid".encode()
        body = message.encode()
        out = [b"commit %s\nmark :%d\n" % (ref.encode(), self.mark)]
        out.append(b"author %s <%s> %d +0100\n" % (name, email, when))
        out.append(b"committer %s <%s> %d +0100\n" % (name, email, when))
        out.append(b"data %d\n%s\n" % (len(body), body))
        if parents:
            out.append(b"from :%d\n" % parents[0])
            out.extend(b"merge :%d\n" % parent for parent in parents[1:])
        for path, mark in sorted(changes.items()):
            if mark is None:
                out.append(b"D %s\n" % path.encode())
            else:
                out.append(b"M 100644 :%d %s\n" % (mark, path.encode()))
        out.append(b"\n")
        self.stream.write(b"".join(out))  # type: ignore[attr-defined]
        return self.mark


@dataclass
class Planted:
    family: str
    path: str
    commit_mark: int
    ref: str
    removed: bool


class History:
    def __init__(self, rng: random.Random, scale: float, seed: int, writer: Writer) -> None:
        self.rng = rng
        self.seed = seed
        self.writer = writer
        self.total = max(10, round(COMMITS_AT_SCALE_1 * scale))
        self.layout = layout(rng, scale)
        self.files = Files()
        packages = max(60, round(1400 * min(1.0, math.sqrt(scale))))
        self.lock = Lockfile.create(rng, packages)
        self.e2e_lock = Lockfile.create(rng, max(20, packages // 8))
        self.when = START
        self.number = 0  # commits written
        self.tip = 0  # mark of main's last commit
        self.planted: list[Planted] = []
        self.pending_removal: list[tuple[int, str, int]] = []  # (at commit number, path, lines)
        self.blob_marks: dict[str, int] = {}  # path -> mark of the blob last written for it
        self.next_tag = 250
        self.plants = sorted(PLANTS, key=lambda plant: plant.at)

    # -- content changes ------------------------------------------------------------------

    def _text_file(self, path: str) -> list[str]:
        if path not in self.files.lines:
            make = self._line_maker(path)
            self.files.lines[path] = [make() for _ in range(self.rng.randrange(30, 200))]
        return self.files.lines[path]

    def _line_maker(self, path: str) -> Callable[[], str]:
        rng = self.rng
        if path.endswith((".ts", ".tsx", ".js")):
            return lambda: ts_line(rng)
        if path.endswith(".py"):
            return lambda: py_line(rng)
        if path.endswith((".yaml", ".yml")):
            return lambda: yaml_line(rng)
        if path.endswith(".snap"):
            return lambda: snapshot_line(rng)
        if path.endswith(".json"):
            return lambda: json_line(rng)
        return lambda: md_line(rng)

    def _edit(self, path: str) -> None:
        lines = self._text_file(path)
        make = self._line_maker(path)
        for _ in range(self.rng.randrange(1, 8)):
            where = self.rng.randrange(len(lines) + 1)
            action = self.rng.random()
            if action < 0.5 or len(lines) < 10:
                lines.insert(where, make())
            elif action < 0.8 and where < len(lines):
                lines[where] = make()
            elif where < len(lines):
                del lines[where]

    def _snapshot_path(self, component: str) -> str:
        folder, _, _ = component.rpartition("/")
        return f"{folder}/__snapshots__/index.test.tsx.snap"

    def _changes_for_commit(self) -> set[str]:
        """Which files this commit touches, as real frontend/back-end commits do."""
        rng = self.rng
        touched: set[str] = set()
        for _ in range(rng.choice([1, 1, 2, 2, 3, 4, 6])):
            pick = rng.random()
            if pick < 0.45:
                component = rng.choice(self.layout.components)
                self._edit(component)
                touched.add(component)
                if rng.random() < 0.5:  # its Jest snapshot changes with it
                    snapshot = self._snapshot_path(component)
                    if snapshot in self.files.lines:
                        self._edit(snapshot)
                    else:
                        name = component.split("/")[-2]
                        text = snapshot_text(rng, name, rng.randrange(2, 12))
                        self.files.lines[snapshot] = text.splitlines()
                    touched.add(snapshot)
            elif pick < 0.7:
                path = rng.choice(self.layout.python)
                self._edit(path)
                touched.add(path)
            elif pick < 0.78:
                path = rng.choice(self.layout.fixtures)
                if path in self.files.lines:
                    self._edit(path)
                else:
                    records = [fixture_record(rng) for _ in range(rng.randrange(20, 400))]
                    self.files.lines[path] = json.dumps(records, indent=2).splitlines()
                touched.add(path)
            elif pick < 0.86:
                path = rng.choice(self.layout.yamls)
                self._edit(path)
                touched.add(path)
            elif pick < 0.955:
                path = rng.choice(self.layout.docs)
                self._edit(path)
                touched.add(path)
            elif pick < 0.97:
                path = "data/afvalcontainers.csv"
                rows = self.files.lines.setdefault(
                    path, ["id;straat;huisnummer;postcode;stadsdeel;lat;lon;geplaatst"]
                )
                rows.extend(csv_row(rng, len(rows)) for _ in range(rng.randrange(1, 10)))
                touched.add(path)
            else:
                path = rng.choice(self.layout.images)
                self.files.raw[path] = png_bytes(rng)
                touched.add(path)
        if rng.random() < 1 / 12:  # a dependency bump
            self.lock.bump(rng, rng.randrange(1, 6))
            self.files.raw["package-lock.json"] = self.lock.text().encode()
            touched.add("package-lock.json")
            touched.add("package.json")
            self.files.lines["package.json"] = self._package_json()
        if rng.random() < 1 / 40:
            self.e2e_lock.bump(rng, rng.randrange(1, 4))
            self.files.raw["e2e/package-lock.json"] = self.e2e_lock.text().encode()
            touched.add("e2e/package-lock.json")
        if rng.random() < 1 / 150:
            self.files.raw["public/vendor.min.js"] = self._bundle()
            touched.add("public/vendor.min.js")
        return touched

    def _package_json(self) -> list[str]:
        deps = ",\n".join(
            f'    "{name}": "^{version}"'
            for name, version in list(zip(self.lock.names, self.lock.versions, strict=True))[:60]
        )
        return ["{", '  "name": "signalen-frontend",', '  "dependencies": {', deps, "  }", "}"]

    def _bundle(self) -> bytes:
        rng = self.rng
        parts = []
        for _ in range(6000):
            parts.append(
                f"function {ident(rng)}(e,t){{return e.{rng.choice(CODE_WORDS)}"
                f"(t,{rng.randrange(999)})}}"
            )
        return (";".join(parts) + "\n").encode()

    def _plant_due(self) -> list[Plant]:
        due = []
        while self.plants and self.plants[0].at * self.total <= self.number:
            due.append(self.plants.pop(0))
        return due

    # -- commits --------------------------------------------------------------------------

    def _tick(self) -> int:
        self.when += self.rng.randrange(600, 4 * 3600)
        return self.when

    def _write(self, ref: str, touched: set[str], parents: list[int], message: str) -> int:
        changes: dict[str, int | None] = {}
        for path in sorted(touched):
            if path in self.files.raw or path in self.files.lines:
                changes[path] = self.blob_marks[path] = self.writer.blob(self.files.content(path))
            else:
                self.blob_marks.pop(path, None)
                changes[path] = None
        mark = self.writer.commit(
            ref, self._tick(), self.rng.randrange(1, 25), message, changes, parents
        )
        self.number += 1
        return mark

    def _plant(self, plant: Plant, ref: str, parents: list[int]) -> int:
        seed = f"synthetic-{self.seed}-{plant.family}"
        text = plant.text(self.rng, seed)
        lines = self.files.lines.setdefault(plant.path, [])
        lines.extend(text.splitlines())
        mark = self._write(ref, {plant.path}, parents, f"Configuratie bijgewerkt ({plant.path})")
        self.planted.append(Planted(plant.family, plant.path, mark, ref, bool(plant.removed_after)))
        if plant.removed_after:
            self.pending_removal.append(
                (self.number + plant.removed_after, plant.path, len(text.splitlines()))
            )
        return mark

    def _removals(self) -> set[str]:
        touched = set()
        for entry in [e for e in self.pending_removal if e[0] <= self.number]:
            self.pending_removal.remove(entry)
            _, path, count = entry
            lines = self.files.lines[path]
            del lines[len(lines) - count :]
            if not lines:
                del self.files.lines[path]
            touched.add(path)
        return touched

    def run(self) -> None:
        rng = self.rng
        # The first commit: every file at its first version.
        touched: set[str] = set()
        for path in [
            *self.layout.components,
            *self.layout.python,
            *self.layout.yamls,
            *self.layout.docs,
        ]:
            self._text_file(path)
            touched.add(path)
        self.files.raw["package-lock.json"] = self.lock.text().encode()
        self.files.raw["e2e/package-lock.json"] = self.e2e_lock.text().encode()
        self.files.raw["public/vendor.min.js"] = self._bundle()
        self.files.lines["package.json"] = self._package_json()
        touched |= {
            "package-lock.json",
            "e2e/package-lock.json",
            "public/vendor.min.js",
            "package.json",
        }
        self.tip = self._write("refs/heads/main", touched, [], "Initial commit")
        branch = 0
        while self.number < self.total:
            for plant in self._plant_due():
                if plant.branch_only:
                    saved = self._state()
                    self._plant(plant, "refs/heads/experiment/wachtwoord-test", [self.tip])
                    self._restore(saved)
                else:
                    self.tip = self._plant(plant, "refs/heads/main", [self.tip])
            removed = self._removals()
            if removed:
                self.tip = self._write(
                    "refs/heads/main", removed, [self.tip], "Gevoelige gegevens verwijderd"
                )
            if rng.random() < 0.12 and self.number + 8 < self.total:
                branch += 1
                self._feature_branch(branch, merged=rng.random() < 0.9)
            else:
                self.tip = self._write(
                    "refs/heads/main", self._changes_for_commit(), [self.tip], self._message()
                )
            if self.number >= self.next_tag:
                self.next_tag += 250
                self.writer.stream.write(  # type: ignore[attr-defined]
                    b"tag v1.%d.0\nfrom :%d\ntagger Release <release@example.invalid> %d +0100\n"
                    b"data 8\nrelease\n\n" % (self.number // 250, self.tip, self.when)
                )

    def _feature_branch(self, number: int, *, merged: bool) -> None:
        """A branch of 2-6 commits off main; merged back with a merge commit, or abandoned."""
        ref = f"refs/heads/feature/{number}-{self.rng.choice(WORDS)}"
        # An abandoned branch's changes must not reach main: keep main's state to go back to.
        saved = None if merged else self._state()
        touched_all: set[str] = set()
        parent = self.tip
        for _ in range(self.rng.randrange(2, 7)):
            touched = self._changes_for_commit()
            touched_all |= touched
            parent = self._write(ref, touched, [parent], self._message())
        if saved is None:
            changes = {path: self.blob_marks.get(path) for path in sorted(touched_all)}
            self.tip = self.writer.commit(
                "refs/heads/main", self._tick(), self.rng.randrange(1, 25),
                f"Merge pull request #{number} from feature/{number}", changes, [self.tip, parent],
            )  # fmt: skip
            self.number += 1
            # A merged branch is deleted on the server: only main keeps its commits.
            self.writer.stream.write(b"reset %s\nfrom %s\n\n" % (ref.encode(), b"0" * 40))  # type: ignore[attr-defined]
        else:
            self._restore(saved)

    def _state(self) -> tuple[object, ...]:
        files = self.files
        return (
            {path: list(lines) for path, lines in files.lines.items()},
            dict(files.raw),
            dict(self.blob_marks),
            list(self.lock.versions), list(self.lock.hashes),
            list(self.e2e_lock.versions), list(self.e2e_lock.hashes),
        )  # fmt: skip

    def _restore(self, state: tuple[object, ...]) -> None:
        (self.files.lines, self.files.raw, self.blob_marks, self.lock.versions, self.lock.hashes,
         self.e2e_lock.versions, self.e2e_lock.hashes) = state  # type: ignore[assignment]  # fmt: skip

    def _message(self) -> str:
        verb = self.rng.choice(["Fix", "Add", "Update", "Refactor", "Remove"])
        return f"{verb} {words(self.rng, 4)}"


def build(target: Path, scale: float, seed: int) -> dict[str, object]:
    if target.exists() and any(target.iterdir()):
        raise SystemExit(f"{target} exists and is not empty")
    started = time.monotonic()
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    process = subprocess.Popen(
        ["git", "-C", str(target), "fast-import", "--quiet", "--done"],
        stdin=subprocess.PIPE,
    )
    assert process.stdin is not None
    writer = Writer(process.stdin)
    history = History(random.Random(seed), scale, seed, writer)
    try:
        history.run()
        process.stdin.write(b"done\n")
    finally:
        process.stdin.close()
    if process.wait() != 0:
        raise SystemExit("git fast-import failed")
    # The deleted branches' reset lines leave nothing behind; pack as a clone would have it.
    subprocess.run(["git", "-C", str(target), "gc", "-q", "--prune=now"], check=True)
    subprocess.run(["git", "-C", str(target), "checkout", "-q", "-f", "main"], check=True)
    marks = {}
    for line in subprocess.run(
        ["git", "-C", str(target), "rev-list", "--all", "--count"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines():  # fmt: skip
        marks["commits"] = int(line)
    return {
        "path": str(target),
        "scale": scale,
        "seed": seed,
        "commits": marks.get("commits"),
        "blob_bytes_written": writer.bytes,
        "seconds": round(time.monotonic() - started, 1),
        "planted": [
            {"family": p.family, "path": p.path, "ref": p.ref, "removed_later": p.removed}
            for p in history.planted
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="directory to create the repository in")
    parser.add_argument("--scale", type=float, default=1.0, help="1: 3,000 commits (default)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--manifest", type=Path, help="write what was planted where (JSON)")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 100:
        parser.error("--scale must be above 0 and at most 100")
    summary = build(args.target, args.scale, args.seed)
    if args.manifest:
        args.manifest.write_text(json.dumps(summary, indent=1) + "\n")
    print(
        f"{summary['path']}: {summary['commits']} commits, "
        f"{int(summary['blob_bytes_written']) / 1e6:.0f} MB of blobs written, "  # type: ignore[call-overload]
        f"{len(summary['planted'])} planted items, {summary['seconds']} s"  # type: ignore[arg-type]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
