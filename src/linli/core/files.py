"""Judging an uploaded file by its content, never by its name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# A signature is a byte prefix, or a tuple of (offset, bytes) pairs that must all match
# (WebP: "RIFF" at 0 and "WEBP" at 8).
Signature = bytes | tuple[tuple[int, bytes], ...]


def sniffed_type(data: bytes, signatures: Mapping[str, Sequence[Signature]]) -> str | None:
    """The content type whose signature the data carries, or None if no accepted type matches."""
    for kind, alternatives in signatures.items():
        if any(_matches(data, signature) for signature in alternatives):
            return kind
    return None


def _matches(data: bytes, signature: Signature) -> bool:
    if isinstance(signature, bytes):
        return data.startswith(signature)
    return all(data[offset : offset + len(part)] == part for offset, part in signature)
