"""Dutch personal data: detectors for BSN, IBAN, names, addresses and more (category `pii`).

The flow for a rule in `rules/pii-nl/`: the prefilter reports a line where the rule's keywords
or regex may match; its recognizer (`recognizers.py`, on `gate.py`) runs the cheap checks
(checksum, test data, the structure around the value: CSV column, JSON key, SQL column, words
nearby); only what passes reaches Presidio (`analyzer.py`, with one Presidio recognizer per
detector: `bsn.py`, `iban.py`, ...), and, for prose, spaCy NER (`prose.py`).

Importing this package is cheap: Presidio and spaCy are imported by `analyzer.py` on first use.
"""
