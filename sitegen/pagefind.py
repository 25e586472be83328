"""Pagefind, the search engine: its binary run once per index, and its files made reproducible.

`index(requests)` starts the binary bundled by the `pagefind[bin]` package in
its service mode, sends every record in one stream (a thread reads the
answers, so no record waits for the one before) and takes every file back in
one answer: nothing is written to disk by Pagefind itself.

Pagefind 1.5.2 writes its filter values and its list of filters in hash-map
order, which changes from run to run, so the same records would give other
bytes (and other file names) on every build. `canonical` puts both in sorted
order and names the files it rewrites by their content, so the same records
always give the same files.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import subprocess
import threading
from collections.abc import Sequence
from typing import Any

SIGNATURE = b"pagefind_dcd"  # the start of every index file once decompressed


class EngineError(RuntimeError):
    """Pagefind could not be started, or refused a record."""


def version() -> str:
    try:
        from importlib.metadata import version as installed

        return installed("pagefind")
    except Exception:  # noqa: BLE001 - not installed: index() says so
        return ""


def _executable() -> str:
    try:
        from pagefind.service import get_executable
    except ImportError as err:
        raise EngineError("pagefind") from err
    found = get_executable()
    if found is None:
        raise EngineError("pagefind_bin")
    return os.fspath(found)


def index(requests: Sequence[dict[str, Any]]) -> dict[str, bytes]:
    """Pagefind's files (path inside the bundle -> bytes) for these AddRecord requests, in canonical form.

    The service speaks base64 JSON messages ended by a comma, and stops at the
    end of its input: stdin is closed only once every answer is in.
    """
    proc = subprocess.Popen([_executable(), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    answers: list[dict] = []
    reader = threading.Thread(target=_read_answers, args=(proc, len(requests) + 2, answers), daemon=True)
    reader.start()
    try:
        assert proc.stdin is not None
        proc.stdin.write(_message(0, {"type": "NewIndex", "config": {"force_language": "vi"}}))
        proc.stdin.flush()
        while not answers and reader.is_alive():
            reader.join(0.005)
        index_id = _answer(answers[0] if answers else {}, "NewIndex")["index_id"]
        for number, request in enumerate(requests, 1):
            proc.stdin.write(_message(number, {"type": "AddRecord", "index_id": index_id, **request}))
        proc.stdin.write(_message(len(requests) + 1, {"type": "GetFiles", "index_id": index_id}))
        proc.stdin.flush()
        reader.join()
        proc.stdin.close()
    except (OSError, ValueError, EngineError) as err:
        proc.kill()
        raise EngineError(str(err)) from err
    finally:
        proc.wait()
    if len(answers) != len(requests) + 2:
        raise EngineError(f"pagefind stopped after {len(answers)} of {len(requests) + 2} answers")
    for answer in answers[1:-1]:
        _answer(answer, "IndexedFile")
    files = _answer(answers[-1], "GetFiles")["files"]
    return canonical({entry["path"]: base64.b64decode(entry["content"]) for entry in files})


def _message(number: int, payload: dict) -> bytes:
    return base64.b64encode(json.dumps({"message_id": number, "payload": payload}).encode("utf-8")) + b","


def _read_answers(proc: subprocess.Popen, count: int, answers: list[dict]) -> None:
    """Each answer is base64 (no commas) and a comma: only new bytes are searched for the end of one."""
    assert proc.stdout is not None
    parts: list[bytes] = []
    while len(answers) < count:
        chunk = proc.stdout.read1(1 << 20)
        if not chunk:
            return
        *done, rest = chunk.split(b",")
        if done:
            done[0] = b"".join([*parts, done[0]])
            parts = []
            answers += [json.loads(base64.b64decode(message)) for message in done]
        parts.append(rest)


def _answer(answer: dict, kind: str) -> dict:
    payload = answer.get("payload", {})
    if payload.get("type") != kind:
        raise EngineError(str(payload.get("message") or payload or "no answer"))
    return payload


def fragment_urls(files: dict[str, bytes]) -> dict[str, str]:
    """{page URL: its fragment's id}, read from the fragments (gzip, the signature, JSON)."""
    found = {}
    for path, data in files.items():
        if path.startswith("fragment/") and path.endswith(".pf_fragment"):
            found[json.loads(_open(data))["url"]] = path[len("fragment/"):-len(".pf_fragment")]
    return found


# --- reproducible files --------------------------------------------------------------------------


def _open(data: bytes) -> bytes:
    body = data if data.startswith(SIGNATURE) else gzip.decompress(data)
    return body[len(SIGNATURE):]


def _pack(body: bytes) -> bytes:
    return gzip.compress(SIGNATURE + body, mtime=0)


def _name(body: bytes, length: int) -> str:
    return hashlib.sha1(body).hexdigest()[:length]  # noqa: S324 - a file name, as Pagefind's own


def canonical(files: dict[str, bytes]) -> dict[str, bytes]:
    """The same files with filter values and filters sorted, and the files that changed renamed."""
    entry_name = "pagefind-entry.json"
    if entry_name not in files:
        return files
    entry = json.loads(files[entry_name])
    out = dict(files)
    for language, about in entry["languages"].items():
        meta_path = f"pagefind.{about['hash']}.pf_meta"
        meta = cbor_load(_open(out.pop(meta_path)))
        filters = []
        for name, chunk in meta[3]:
            values = cbor_load(_open(out.pop(f"filter/{chunk}.pf_filter")))
            values[1] = sorted(values[1], key=lambda pair: pair[0])
            body = cbor_dump(values)
            new = f"{language}_{_name(body, 7)}"
            out[f"filter/{new}.pf_filter"] = _pack(body)
            filters.append([name, new])
        meta[3] = sorted(filters)
        body = cbor_dump(meta)
        about["hash"] = f"{language}_{_name(body, 10)}"
        out[f"pagefind.{about['hash']}.pf_meta"] = _pack(body)
    out[entry_name] = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return out


def cbor_load(data: bytes) -> Any:
    """The CBOR Pagefind writes (whole numbers, text, bytes, lists, maps, true/false/null)."""
    value, end = _load(data, 0)
    if end != len(data):
        raise ValueError("trailing bytes")
    return value


def _load(data: bytes, i: int) -> tuple[Any, int]:
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n, i = int.from_bytes(data[i:i + size], "big"), i + size
    else:
        raise ValueError(f"CBOR item {data[i - 1]:#x} not supported")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major in (2, 3):
        raw = data[i:i + n]
        return (raw.decode("utf-8") if major == 3 else bytes(raw)), i + n
    if major in (4, 5):
        items = []
        for _ in range(n * (major - 3)):
            item, i = _load(data, i)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), i
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], i
    raise ValueError(f"CBOR major type {major} not supported")


def cbor_dump(value: Any) -> bytes:
    if value is None or isinstance(value, bool):
        return bytes([0xF6 if value is None else 0xF5 if value else 0xF4])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(cbor_dump(item) for item in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(cbor_dump(k) + cbor_dump(v) for k, v in value.items())
    raise TypeError(type(value).__name__)


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError("number too large")
