"""Secrets in base64, hex and percent-encoded runs: found, located, and found cheaply."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Iterator, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leakguard.detectors import decoding
from leakguard.detectors.decoding import (
    MAX_DECODED_BYTES,
    MAX_DEPTH,
    EncodedRun,
    RunDecodings,
    encoded_runs,
)
from leakguard.detectors.engine import Detection, Detector
from leakguard.models import Fragment, Origin
from leakguard.rule_examples import expand
from leakguard.ruleset import load_builtin_rules

RULES = load_builtin_rules()


@pytest.fixture(scope="module", params=["python", "hyperscan"])
def detector(request: pytest.FixtureRequest) -> Detector:
    if request.param == "hyperscan":
        pytest.importorskip("hyperscan")
    return Detector(RULES.rules, engine=request.param)


@pytest.fixture
def b64_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The lengths of the base64 bodies decoded from here on."""
    calls: list[int] = []
    real = decoding._b64

    def counting(body: bytes, urlsafe: bool) -> bytes:
        calls.append(len(body))
        return real(body, urlsafe)

    monkeypatch.setattr(decoding, "_b64", counting)
    return calls


def token(seed: str = "decoding") -> str:
    return expand("${gen:github-token:ghp}", seed)


def scan(detector: Detector, text: str | bytes, line_offset: int = 0) -> list:
    data = text.encode() if isinstance(text, str) else text
    fragment = Fragment(data, "example.yaml", Origin.FILE, line_offset=line_offset)
    return detector.detect(fragment).candidates


def decoded(candidates: list, rule_id: str = "github-pat") -> list:
    return [c for c in candidates if c.rule_id == rule_id and c.reasons[-1].endswith("-decoded")]


def test_token_base64_encoded_in_a_kubernetes_secret(detector: Detector) -> None:
    secret = token()
    encoded = base64.b64encode(secret.encode()).decode()
    manifest = (
        "apiVersion: v1\n"
        "kind: Secret\n"
        "metadata:\n"
        "  name: github\n"
        "type: Opaque\n"
        "data:\n"
        f"  GITHUB_TOKEN: {encoded}\n"
    )
    found = decoded(scan(detector, manifest, line_offset=10))
    assert len(found) == 1
    candidate = found[0]
    assert candidate.value == secret
    assert candidate.reasons[-1] == "base64-decoded"
    assert (candidate.line, candidate.column) == (17, len("  GITHUB_TOKEN: ") + 1)
    assert candidate.end_column == candidate.column + len(encoded)
    assert candidate.line_text == f"  GITHUB_TOKEN: {encoded}"
    assert candidate.previous_line_text == "data:"


def test_url_safe_base64(detector: Detector) -> None:
    payload = json.dumps({"user": "svc", "token": token("urlsafe"), "pad": "~~~~>>>"}).encode()
    encoded = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    assert "-" in encoded or "_" in encoded
    found = decoded(scan(detector, f"CONFIG={encoded}\n"))
    assert [c.reasons[-1] for c in found] == ["base64-decoded"]


def test_hex_encoded_token(detector: Detector) -> None:
    secret = token("hex")
    found = decoded(scan(detector, f'blob = "{secret.encode().hex()}"\n'))
    assert [(c.value, c.reasons[-1], c.column) for c in found] == [(secret, "hex-decoded", 9)]


def test_percent_encoded_token(detector: Detector) -> None:
    secret = token("percent")
    escaped = "".join(f"%{byte:02X}" for byte in secret.encode())
    found = decoded(scan(detector, f"redirect?state={escaped}&x=1\n"))
    assert [(c.value, c.reasons[-1]) for c in found] == [(secret, "percent-decoded")]


def test_percent_encoded_connection_string(detector: Detector) -> None:
    password = expand("${rand:alnum:16}", "pw")
    url = f"postgresql://app:{password}@db.gemeente.local/zaken"
    found = scan(detector, "DSN=" + "".join(f"%{b:02x}" for b in url.encode()) + "\n")
    assert [c.value for c in found if c.rule_id == "postgres-connection-string"] == [password]


def test_two_levels_are_decoded_three_are_not(detector: Detector) -> None:
    secret = token("depth")
    twice = base64.b64encode(base64.b64encode(secret.encode())).decode()
    found = decoded(scan(detector, f"value: {twice}\n"))
    assert [c.reasons[-2:] for c in found] == [("base64-decoded", "base64-decoded")]
    thrice = base64.b64encode(twice.encode()).decode()
    assert MAX_DEPTH == 2
    assert decoded(scan(detector, f"value: {thrice}\n")) == []


def test_a_depth_bomb_costs_bounded_work(
    detector: Detector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Base64 nested twenty deep, repeated on many lines: decoding stops at depth 2 and at the
    per-fragment budget, so the bytes decoded are bounded by those limits, not by the input."""
    nested = token("bomb").encode()
    for _ in range(20):
        nested = base64.b64encode(nested)
    assert len(nested) < decoding.MAX_RUN
    lines = 40
    data = b"\n".join(b"k%d: " % i + nested for i in range(lines)) + b"\n"
    decoded_per_call: list[list[int]] = []
    depths: list[int] = []
    real_placed = decoding._placed
    real_detect = Detector.detect

    def counting_runs(
        data: bytes, runs: Iterator[EncodedRun], found: Sequence[str], budget: int
    ) -> Iterator[EncodedRun]:
        sizes: list[int] = []
        decoded_per_call.append(sizes)
        for run in real_placed(data, runs, found, budget):
            sizes.append(len(run.decoded))
            yield run

    def counting_detect(
        self: Detector, fragment: Fragment, *, explain: bool = False, depth: int = 0
    ) -> Detection:
        depths.append(depth)
        return real_detect(self, fragment, explain=explain, depth=depth)

    monkeypatch.setattr(decoding, "_placed", counting_runs)
    monkeypatch.setattr(Detector, "detect", counting_detect)

    assert scan(detector, data) == []  # twenty levels deep: out of reach, by design

    assert max(depths) == MAX_DEPTH
    # Every decoded run is scanned once, one level down.
    assert len(depths) == 1 + sum(len(sizes) for sizes in decoded_per_call)
    # The budget is checked before each run: it is overrun by one run at most.
    largest_run = decoding.MAX_RUN * 3 // 4
    assert all(sum(sizes) <= MAX_DECODED_BYTES + largest_run for sizes in decoded_per_call)
    assert len(decoded_per_call[0]) < lines  # the top level ran out of budget
    total = sum(sum(sizes) for sizes in decoded_per_call)
    assert total <= MAX_DEPTH * (MAX_DECODED_BYTES + largest_run)


def test_decoded_bytes_are_capped_per_fragment() -> None:
    rng = random.Random(1)
    lines = []
    for _ in range(3000):
        text = "".join(rng.choice("abcdefghij klmnop") for _ in range(150)).encode()
        lines.append(base64.b64encode(text))
    data = b"\n".join(lines)
    total = sum(len(run.decoded) for run in encoded_runs(data))
    assert MAX_DECODED_BYTES <= total <= MAX_DECODED_BYTES + 200


def test_package_lock_integrity_hashes_are_not_decoded(b64_calls: list[int]) -> None:
    """Lock files hold thousands of base64 digests: none is decoded, not even its first bytes."""
    rng = random.Random(2)
    entries = []
    for index in range(500):
        digest = base64.b64encode(rng.randbytes(64)).decode()
        entries.append(
            f'    "node_modules/pkg{index}": {{\n'
            f'      "version": "1.0.{index}",\n'
            f'      "resolved": "https://registry.npmjs.org/pkg{index}/-/pkg{index}-1.0.0.tgz",\n'
            f'      "integrity": "sha512-{digest}"\n'
            "    },"
        )
    lock = ("{\n" + "\n".join(entries) + "\n}\n").encode()
    assert list(encoded_runs(lock)) == []
    assert b64_calls == []


def test_random_digests_are_dropped_after_a_peek(b64_calls: list[int]) -> None:
    rng = random.Random(3)
    data = b"\n".join(b"h: " + base64.b64encode(rng.randbytes(48)) for _ in range(200))
    assert list(encoded_runs(data)) == []
    assert max(b64_calls, default=0) <= decoding.PEEK  # most are dropped before any decoding


def test_runs_inside_a_reported_value_are_left_alone() -> None:
    encoded = base64.b64encode(b"some text that is long enough to decode here").decode()
    data = f"x = {encoded}\n".encode()
    assert len(list(encoded_runs(data))) == 1
    assert list(encoded_runs(data, found=[f"prefix.{encoded}.suffix"])) == []
    assert len(list(encoded_runs(data, found=[encoded]))) == 1  # the blob itself: decoded


def test_jwt_parts_are_not_decoded_again(detector: Detector) -> None:
    found = scan(detector, f"Authorization: Bearer {expand('${gen:jwt}', 'jwt')}\n")
    assert [c.rule_id for c in found] == ["jwt"]


def test_plain_text_is_untouched(detector: Detector) -> None:
    assert scan(detector, "def function_name_that_is_quite_long_indeed(argument): pass\n") == []


# Runs of each kind the decoder tells apart: text in base64 and hex, a random digest, a hash
# with its prefix, an identifier, and percent-encoded text; each after a label or none.
TEXT = b"a sentence of plain text that is long enough"
RUN_POOL = [
    base64.b64encode(TEXT),
    base64.urlsafe_b64encode(TEXT + b"?>"),
    TEXT.hex().encode(),
    base64.b64encode(random.Random(4).randbytes(48)),
    b"sha512-" + base64.b64encode(random.Random(5).randbytes(64)),
    b"some_rather_long_function_name_in_code_here",
    b"a%20sentence%20of%20plain%20text%20here",
]
LABELS = [b"x = ", b'"integrity": "', b"digest: ", b""]
shared_decodings = RunDecodings()


@settings(max_examples=200, deadline=None)
@given(
    versions=st.lists(
        st.lists(st.tuples(st.sampled_from(LABELS), st.sampled_from(RUN_POOL)), max_size=8),
        min_size=1,
        max_size=4,
    ),
    budget=st.sampled_from([MAX_DECODED_BYTES, 40, 1]),
    found_first=st.booleans(),
)
def test_runs_judged_before_are_found_as_if_judged_anew(
    versions: list[list[tuple[bytes, bytes]]], budget: int, found_first: bool
) -> None:
    """What a run alone decides is remembered across fragments (`RunDecodings`); where it
    stands (a hash label before it, a value found around it) and the budget are not: versions
    of a file must give the runs a decoder with no memory gives."""
    for version in versions:
        data = b"\n".join(label + run for label, run in version) + b"\n"
        found = [f"<{version[0][1].decode()}>"] if version and found_first else []
        remembered = list(encoded_runs(data, found, budget, decodings=shared_decodings))
        assert remembered == list(encoded_runs(data, found, budget))


def test_a_run_is_decoded_once_and_what_is_remembered_stays_bounded(b64_calls: list[int]) -> None:
    data = b"x = " + base64.b64encode(TEXT) + b"\n"
    decodings = RunDecodings(limit=2000)
    for _ in range(3):
        assert len(list(encoded_runs(data, decodings=decodings))) == 1
    assert len(b64_calls) == 2  # its first characters, then the whole run: once

    for seed in range(200):
        text = expand("${rand:alnum:60}", f"run {seed}").encode()
        list(encoded_runs(b"x = " + base64.b64encode(text) + b"\n", decodings=decodings))
        assert decodings.size <= 2000 + decoding.RUN_ENTRY_BYTES + 2 * decoding.MAX_RUN
