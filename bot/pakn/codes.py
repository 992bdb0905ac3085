"""Short PAKN tracking codes that a citizen can read out on the phone: ``PA-7KM-Q9X-DA3``.

Alphabet (19 symbols, a prime): ``3 4 6 7 9 A C D E H K M N P Q R T X Y``.
- Left out because they look alike: 0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V.
- Also left out because they are hard to say or hear in Vietnamese: F ("ép"), J ("gi"), W ("vê
  kép", heard as V), G ("giê", sounds like D "dê" in the northern accent).

Format: ``PA-`` + 9 symbols in groups of three; the first 8 are random (``secrets``), the last is a
check symbol. Triplets are read like phone-number groups. The prefix is optional on input.

Check symbol: with values v0..v8 (index in the alphabet) and weights w_i = i + 1,
sum(w_i * v_i) = 0 (mod 19). Because 19 is prime and every weight is non-zero mod 19, changing any
single symbol changes the sum by w_i * delta != 0, and swapping two neighbours changes it by
(w_i - w_{i+1}) * (v_{i+1} - v_i) = -(v_{i+1} - v_i) != 0. So every single substitution and every
adjacent transposition is detected (also swaps across one symbol: weight difference 2).

Collision space: 19**8 = 16,983,563,041 (about 1.7e10) codes. With 1,000,000 codes already issued,
a fresh draw collides with probability 1e6 / 1.7e10 = 5.9e-5; the store keeps a unique index and
draws again on collision (three collisions in a row: 2e-13). Raw draws DO repeat: n draws give
about n^2 / 2N repeats, 0.29 for 10^5 draws and 29 for 10^6, hence the unique index and the
``avoid`` argument of ``generate_code``. Someone guessing a code that passes the check hits an
issued one with probability 5.9e-5 per try at 10^6 codes, so a status lookup must also ask for the
phone number (and be rate limited): the code alone is not a secret.

Normalisation (``normalize_code``): NFKC, upper case, Vietnamese diacritics removed (Đ->D, Ê->E,
Â/Ă->A, Ơ->O ...), spaces/dots/dashes/underscores removed, optional PA/PAKN prefix. G and J are
mapped to D (the Vietnamese letter names "giê"/"gi" sound like "dê"). Other characters that can
never appear (0 O 1 I L 5 S 2 Z 8 B U V F W) are NOT guessed: 0/O, 1/I/L ... are pairs of
excluded characters, so there is no single right answer; the result is None and the bot asks the
citizen to read the code again. ``validate`` then checks the check symbol.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Container

ALPHABET = "34679ACDEHKMNPQRTXY"
BASE = len(ALPHABET)  # 19, prime
PREFIX = "PA"
PAYLOAD_LEN = 8
CODE_LEN = PAYLOAD_LEN + 1
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = tuple(range(1, CODE_LEN + 1))
_CHECK_INV = pow(_WEIGHTS[-1], -1, BASE)
_PHONETIC = str.maketrans({"G": "D", "J": "D"})
_SEPARATORS = re.compile(r"[\s.\-_/:#·–—]+")

# How to read each symbol aloud in Vietnamese: digits as numbers, letters by name.
SPOKEN = {
    "3": "ba",
    "4": "bốn",
    "6": "sáu",
    "7": "bảy",
    "9": "chín",
    "A": "a",
    "C": "xê",
    "D": "dê",
    "E": "e",
    "H": "hát",
    "K": "ca",
    "M": "em-mờ",
    "N": "en-nờ",
    "P": "pê",
    "Q": "quy",
    "R": "e-rờ",
    "T": "tê",
    "X": "ích-xì",
    "Y": "i dài",
}


def _check_symbol(payload: str) -> str:
    total = sum(w * _VALUE[ch] for w, ch in zip(_WEIGHTS[: len(payload)], payload, strict=True))
    return ALPHABET[(-total * _CHECK_INV) % BASE]


def format_code(body: str) -> str:
    """``PA-XXX-XXX-XXX`` from the 9 symbols (payload + check)."""
    return f"{PREFIX}-{body[0:3]}-{body[3:6]}-{body[6:9]}"


def code_from_payload(payload: str) -> str:
    """The code for 8 given payload symbols (check symbol appended); for fixtures and imports."""
    if len(payload) != PAYLOAD_LEN or any(ch not in _VALUE for ch in payload):
        raise ValueError(f"payload must be {PAYLOAD_LEN} symbols of {ALPHABET}: {payload!r}")
    return format_code(payload + _check_symbol(payload))


def generate_code(avoid: Container[str] = (), *, attempts: int = 20) -> str:
    """A fresh random code not in ``avoid`` (e.g. the codes already issued, held in memory).

    A database must still put a unique index on the code and draw again when an insert clashes
    (checking first and inserting later races with other workers).
    """
    for _ in range(attempts):
        code = code_from_payload("".join(secrets.choice(ALPHABET) for _ in range(PAYLOAD_LEN)))
        if code not in avoid:
            return code
    raise RuntimeError(f"no free PAKN code after {attempts} draws: is the code space exhausted?")


def _strip_accents(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_code(text: str) -> str | None:
    """Canonical ``PA-XXX-XXX-XXX`` if ``text`` has the shape of a code, else None.

    Only the shape is checked here (length, symbols); ``validate`` also checks the check symbol.
    """
    s = _strip_accents(unicodedata.normalize("NFKC", text)).upper()
    s = _SEPARATORS.sub("", s).translate(_PHONETIC)
    for prefix in ("PAKN", PREFIX):
        if len(s) == CODE_LEN + len(prefix) and s.startswith(prefix):
            s = s[len(prefix) :]
            break
    if len(s) != CODE_LEN or any(ch not in _VALUE for ch in s):
        return None
    return format_code(s)


def _body(code: str) -> str:
    return code.replace("-", "")[len(PREFIX) :]


def validate(code: str) -> bool:
    """True when ``code`` (any accepted spelling) is a well-formed code with a correct check."""
    canonical = normalize_code(code)
    if canonical is None:
        return False
    body = _body(canonical)
    return sum(w * _VALUE[ch] for w, ch in zip(_WEIGHTS, body, strict=True)) % BASE == 0


def spoken(code: str) -> str:
    """Vietnamese reading aid, one group of three at a time.

    "PA-7KM-Q9X-DA3" -> "bảy, ca, em-mờ – quy, chín, ích-xì – dê, a, ba".

    Raises ValueError for text that is not a code.
    """
    canonical = normalize_code(code)
    if canonical is None:
        raise ValueError(f"not a PAKN code: {code!r}")
    groups = canonical.split("-")[1:]
    return " – ".join(", ".join(SPOKEN[ch] for ch in group) for group in groups)
