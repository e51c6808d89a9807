"""Turns the example templates in rule files into concrete text, at run time.

Rule files must not hold a real-looking credential or personal number: leakguard scans its own
history, and hosting providers block pushes that contain one. So examples are templates:

- `${rand:ALPHABET:N}`: N characters drawn from ALPHABET, a named set (`alnum`, `hex`, ...)
  or a bracket class such as `[A-Z2-7]`;
- `${gen:NAME}` or `${gen:NAME:ARG}`: a value built by a registered generator, for formats that
  carry a checksum or a structure (a GitHub token's CRC32, a JWT, a BSN that passes 11-proef);
- `${lit:TEXT}`: TEXT as is, to split a literal that must not appear whole in the file.

Expansion is deterministic per rule and example, so a failing example fails the same way twice.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

ALPHABETS = {
    "alnum": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "alpha": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "lower": "abcdefghijklmnopqrstuvwxyz",
    "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "lowernum": "abcdefghijklmnopqrstuvwxyz0123456789",
    "uppernum": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "digits": "0123456789",
    "hex": "0123456789abcdef",
    "HEX": "0123456789ABCDEF",
    "base64": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    "base64url": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
}

Generator = Callable[[random.Random, str], str]
GENERATORS: dict[str, Generator] = {}

TEMPLATE = re.compile(r"\$\{(rand|gen|lit):([^}]*)\}")


class ExampleError(ValueError):
    pass


def generator(name: str) -> Callable[[Generator], Generator]:
    def register(build: Generator) -> Generator:
        if name in GENERATORS:
            raise ValueError(f"example generator {name!r} registered twice")
        GENERATORS[name] = build
        return build

    return register


def expand(template: str, seed: str) -> str:
    """The concrete text for one example template."""
    _load_generators()
    rng = random.Random(seed)  # noqa: S311 - reproducible fakes, not secrets

    def substitute(match: re.Match[str]) -> str:
        kind, body = match.groups()
        if kind == "lit":
            return body
        if kind == "rand":
            alphabet_name, _, count = body.rpartition(":")
            if not count.isdigit() or not alphabet_name:
                raise ExampleError(f"bad template ${{rand:{body}}}: use ${{rand:ALPHABET:N}}")
            alphabet = alphabet_chars(alphabet_name)
            return "".join(rng.choice(alphabet) for _ in range(int(count)))
        name, _, argument = body.partition(":")
        build = GENERATORS.get(name)
        if build is None:
            raise ExampleError(f"unknown example generator {name!r} in {template!r}")
        return build(rng, argument)

    return TEMPLATE.sub(substitute, template)


def alphabet_chars(name: str) -> str:
    if name in ALPHABETS:
        return ALPHABETS[name]
    if name.startswith("[") and name.endswith("]") and len(name) > 2:
        return _bracket_class(name[1:-1])
    raise ExampleError(f"unknown alphabet {name!r}: one of {', '.join(ALPHABETS)} or [a-z...]")


def _bracket_class(spec: str) -> str:
    chars: list[str] = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            chars.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            chars.append(spec[i])
            i += 1
    return "".join(dict.fromkeys(chars))


def _load_generators() -> None:
    # Generator modules register on import; importing here keeps `expand` self-contained.
    from leakguard import example_generators  # noqa: F401
