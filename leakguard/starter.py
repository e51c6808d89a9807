"""The commented `.leakguard.yaml` that `leakguard init` writes: every key, with what it does.

Everything is commented out but the keys a new project wants on day one, so that the file loads
as it is and each decision to change a default is a visible line in a diff.
"""

from __future__ import annotations

STARTER = """\
# leakguard configuration. Every key is described in leakguard's README ("Configuration").
# A mistake here (an unknown key, a regex that does not compile) stops every scan with exit 2.

# The lowest severity that fails the build: info, low, medium, high or critical.
fail_on: info

# Findings the team has decided to live with, by content (rule, path, salted hash of the value).
# Create it with `leakguard baseline create`; used automatically when it exists.
# baseline: .leakguard-baseline.json

rules:
  # extend: the built-in rules plus rules.custom; replace: only rules.custom.
  builtin: extend
  # Which kinds of rules run: secret (credentials) and pii (Dutch personal data).
  categories: [secret, pii]
  # Rules that run even though their category is off; rules that never run.
  # enable: [nl-bsn]
  # disable: [generic-password-assignment]
  # Another severity for a rule.
  # severity:
  #   generic-token-assignment: medium
  # Rules of your own, in the shape of leakguard's rules/*.yaml (RE2 regex, value in (?P<secret>)).
  # custom:
  #   - id: acme-api-key
  #     description: ACME API key
  #     severity: high
  #     keywords: [acme_]
  #     regex: '\\b(?P<secret>acme_[A-Za-z0-9]{32})\\b'
  #     entropy: 3.5

# What is not a finding. Each item applies to every rule, or to the rules it lists; any one of
# its entries drops a candidate. Prefer `values` over `lines`: a line regex also allows a new
# secret written on that line.
allowlists:
  - description: generated and vendored files
    paths:
      - "*.lock"
      - "package-lock.json"
  # - description: fictional test data
  #   rules: [generic-password-assignment]
  #   paths: ["tests/fixtures/**"]      # gitignore-style globs, relative to the repository
  #   values: ["^test-"]                # RE2 regexes searched in the value
  #   lines: ["FAKE_FIXTURE"]           # RE2 regexes searched in the value's line
  #   stopwords: [acmedemo]             # a value containing one of these words
  #   commits: [0123456789abcdef0123456789abcdef01234567]  # what these commits introduced

# Personal data the organisation publishes about itself, and known fictional test data.
pii:
  organisation_domains: []        # e.g. [amsterdam.nl]: addresses at these domains are not personal
  organisation_phone_numbers: []  # e.g. ["14 020"]: quote numbers
  organisation_addresses: []      # e.g. ["Amstel 1, 1011 PN Amsterdam"]
  organisation_ibans: []          # the organisation's own bank accounts
  role_mailboxes: []              # e.g. [team-data]: team-data@ is a role, not a person
  test_identifiers: []            # e.g. test BSNs your fixtures use: quote them
  report_test_identifiers: false  # true: also report the built-in fictional test numbers

scan:
  max_file_size: 256M             # scan at most this much of each file or blob; 0: no limit
"""


def starter_config(migrated: str = "") -> str:
    """The starter file, or, given the YAML carried over from another tool, that instead (two
    documents' `rules` and `allowlists` cannot be merged by appending them)."""
    return migrated or STARTER
