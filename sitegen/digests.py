"""The digest every cache key and cache place of the generator is made of (light to import: see
incremental/lookahead.py)."""

from __future__ import annotations

import hashlib

__all__ = ["digest"]


def digest(*parts: str | bytes) -> str:
    """Hash of the parts, each followed by NUL (text as UTF-8)."""
    if parts:
        try:  # all text, the common case: in one go
            text = "\x00".join(parts) + "\x00"  # type: ignore[arg-type]
            return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        except TypeError:  # some bytes
            pass
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()
