"""Encryption at rest for sensitive personal fields (AES-256-GCM with key ids) and HMAC blind
indexes for exact lookup without decrypting.

A sealed value is ``v1.<key id>.<base64url(nonce || ciphertext+tag)>``; the key id lets a
rotation re-encrypt rows in batches while old and new keys both stay readable (the
`rotate-data-key` command comes with the resident pool). The blind-index key
is separate from the data keys so that rotating data keys never invalidates the indexes.
"""

from __future__ import annotations

import base64
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1"


class DecryptionError(Exception):
    """A sealed value that no configured key opens (wrong key ring or tampered data)."""


@lru_cache(maxsize=16)
def _cipher(key: bytes) -> AESGCM:
    """One AESGCM object per key: building it costs more than sealing a short value."""
    return AESGCM(key)


def seal(plaintext: str, *, context: str, key_id: int | None = None) -> str:
    """Encrypt `plaintext`; `context` (e.g. "resident.id_number") is bound as associated data,
    so a ciphertext copied into another column does not decrypt. `key_id`: another key of the
    ring than the current one (a backup's probe seals with each)."""
    if plaintext == "":
        return ""
    key_id = settings.LINLI_DATA_KEY_ID if key_id is None else key_id
    nonce = os.urandom(12)
    body = _cipher(settings.LINLI_DATA_KEYS[key_id]).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{PREFIX}.{key_id}.{base64.urlsafe_b64encode(nonce + body).decode()}"


def unseal(sealed: str, *, context: str) -> str:
    if sealed == "":
        return ""
    try:
        _prefix, key_id, encoded = sealed.split(".", 2)
        key = settings.LINLI_DATA_KEYS[int(key_id)]
        raw = base64.urlsafe_b64decode(encoded)
        return _cipher(key).decrypt(raw[:12], raw[12:], context.encode()).decode()
    except (ValueError, KeyError, InvalidTag) as exc:
        raise DecryptionError(f"cannot open sealed {context}") from exc


def seal_bytes(data: bytes, *, context: str) -> bytes:
    """Encrypt a file's bytes: key id (2 bytes), nonce (12), ciphertext and tag."""
    key_id = settings.LINLI_DATA_KEY_ID
    nonce = os.urandom(12)
    body = _cipher(settings.LINLI_DATA_KEYS[key_id]).encrypt(nonce, data, context.encode())
    return key_id.to_bytes(2, "big") + nonce + body


def unseal_bytes(sealed: bytes, *, context: str) -> bytes:
    try:
        key = settings.LINLI_DATA_KEYS[int.from_bytes(sealed[:2], "big")]
        return _cipher(key).decrypt(sealed[2:14], sealed[14:], context.encode())
    except (KeyError, InvalidTag) as exc:
        raise DecryptionError(f"cannot open sealed {context}") from exc


def sealed_key_id(sealed: str) -> int | None:
    return int(sealed.split(".", 2)[1]) if sealed else None


def blind_index(value: str, *, context: str) -> str:
    """Deterministic keyed hash for exact-match lookup; empty input gives an empty index."""
    if value == "":
        return ""
    return hmac.digest(settings.LINLI_INDEX_KEY, f"{context}:{value}".encode(), "sha256").hex()[:32]


def mask_id_number(value: str) -> str:
    """`210102199001011234` → `210102********1234` (keeps area code and last four)."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """`13812345678` → `138****5678`."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(name: str) -> str:
    """张*明 style: the surname kept, the given name masked but its last character (two-character
    names: 张*). For lists other residents see (a comment's author, a sign-in sheet, a roll)."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
