"""Pagefind, the search engine: its binary run in shards, their files joined into one index.

`index(requests)` starts the binary bundled by the `pagefind[bin]` package in
its service mode, sends every record of a shard in one stream (a thread reads
the answers, so no record waits for the one before) and takes every file back
in one answer: nothing is written to disk by Pagefind itself.

Pagefind holds every record and much more while it builds its index (about
90 KB a record of search_records.TEXT_CHARS, so 860 MiB for 10,000 and gigabytes
beyond), and its time grows faster than the records past a few tens of
thousands. So the records go to it in shards of SHARD_RECORDS, one run of the
binary each, SHARD_RUNS at a time, and pagefind_files.canonical joins the
shards' indexes into the one index a single run would have made.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import pickle
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

from sitegen.pagefind_files import EngineError, Starter, canonical, open_file

SHARD_RECORDS = 1_000  # records per run of Pagefind's binary: bounds its memory (about 90 MiB)
SHARD_RUNS = 2  # runs at a time
# Pagefind's files a browser needs (not its ready-made interfaces, its worker or its highlighter).
_MAIN_FILES = ("pagefind.js", "wasm.unknown.pagefind", "pagefind-entry.json")
_INDEX_FOLDERS = ("index/", "fragment/", "filter/")
# What the reader of Pagefind's answers records when one cannot be read: it is always the last.
_GARBLED = {"payload": {"message": "pagefind gave an answer that is not base64 JSON"}}


# The process of index_apart: the generator's folder and the build's pid are its arguments.
_APART = "import sys; sys.path.insert(0, sys.argv[1]); import sitegen.pagefind as p; p._apart(int(sys.argv[2]))"


def _same(record: Any) -> Any:
    return record


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


def index(records: Sequence[Any], stroke: str = "", start: Starter | None = None,
          request: Callable[[Any], dict[str, Any]] = _same) -> dict[str, bytes]:
    """Pagefind's files (path inside the bundle -> bytes) for these records, in canonical form (`stroke`,
    `start`: see pagefind_files.canonical), indexed SHARD_RECORDS at a time. `request` gives a record's
    AddRecord fields, made only when its shard is sent (they hold about 2 KB a record)."""
    shards = ([request(record) for record in records[at: at + SHARD_RECORDS]]
              for at in range(0, len(records), SHARD_RECORDS))
    return canonical(_runs(shards), stroke, start)


def index_apart(records: Sequence[Any], stroke: str = "",
                request: Callable[[Any], dict[str, Any]] = _same) -> dict[str, bytes]:
    """As index, in a Python process of its own (whose forked processes cut the word index): the build's
    process then never holds Pagefind's answers or the decoded index, and does not share its interpreter
    lock with their reading. The shards go to it one at a time, as it takes them."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.Popen([sys.executable, "-c", _APART, root, str(os.getpid())], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    answered = False
    try:
        _send(proc.stdin, records, stroke, request)
        kind, found = pickle.load(proc.stdout)
        answered = True
    except Exception as err:  # noqa: BLE001 - a garbled answer can fail to unpickle in any way
        raise EngineError(f"pagefind: {err}") from err
    finally:
        if not answered:  # it may be blocked writing the rest of an answer nobody reads
            proc.kill()
        proc.wait()
    if kind != "files":
        raise EngineError(found)
    return found


def _send(pipe: IO[bytes], records: Sequence[Any], stroke: str, request: Callable[[Any], dict[str, Any]]) -> None:
    """(stroke, shard count), then each shard's requests; a process that stops taking them (a record refused)
    has its answer read all the same, which says why."""
    try:
        pickle.dump((stroke, -(-len(records) // SHARD_RECORDS)), pipe)
        for at in range(0, len(records), SHARD_RECORDS):
            pickle.dump([request(record) for record in records[at: at + SHARD_RECORDS]], pipe)
        pipe.close()
    except BrokenPipeError:
        with contextlib.suppress(OSError):
            pipe.close()


def _apart(parent: int) -> None:
    """The process of index_apart: (stroke, shard count) and the shards from stdin, ("files", files) or
    ("error", why) to stdout."""
    from sitegen import workers

    workers.die_with_parent(parent)
    stroke, count = pickle.load(sys.stdin.buffer)
    shards = (pickle.load(sys.stdin.buffer) for _ in range(count))
    try:
        answer: tuple[str, Any] = ("files", canonical(_runs(shards), stroke, workers.die_with_parent))
    except EngineError as err:
        answer = ("error", str(err))
    pickle.dump(answer, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.flush()


def _runs(shards: Iterable[Sequence[dict[str, Any]]]) -> list[dict[str, bytes]]:
    """Pagefind's own files for each shard, SHARD_RUNS runs at a time, in the shards' order (one run of no
    record when there is none). A shard is taken (its requests made, or read) only once a run is free."""
    from concurrent.futures import Future, ThreadPoolExecutor

    found: list[dict[str, bytes]] = []
    with ThreadPoolExecutor(SHARD_RUNS) as pool:
        running: deque[Future[dict[str, bytes]]] = deque()
        for shard in shards:
            if len(running) == SHARD_RUNS:
                found.append(running.popleft().result())
            running.append(pool.submit(_run, shard))
        found += [future.result() for future in running]
    return found or [_run([])]


def _run(requests: Sequence[dict[str, Any]]) -> dict[str, bytes]:
    """Pagefind's own files for these records, from one run of its binary.

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
        raise EngineError(str(err)) from err
    finally:
        if len(answers) != len(requests) + 2 or (answers and answers[-1] is _GARBLED):
            proc.kill()  # it may be blocked writing answers nobody reads
        proc.wait()
    if answers and answers[-1] is _GARBLED:
        raise EngineError(_GARBLED["payload"]["message"])
    if len(answers) != len(requests) + 2:
        raise EngineError(f"pagefind stopped after {len(answers)} of {len(requests) + 2} answers")
    for answer in answers[1:-1]:
        _answer(answer, "IndexedFile")
    files = _answer(answers[-1], "GetFiles")["files"]
    return {entry["path"]: base64.b64decode(entry["content"]) for entry in files}


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
            try:
                answers += [json.loads(base64.b64decode(message)) for message in done]
            except ValueError:  # not base64, JSON or UTF-8: nothing after it can be read either
                answers.append(_GARBLED)
                return
        parts.append(rest)


def _answer(answer: dict, kind: str) -> dict:
    payload = answer.get("payload", {})
    if payload.get("type") != kind:
        raise EngineError(str(payload.get("message") or payload or "no answer"))
    return payload


def published(files: dict[str, bytes], main: bool) -> dict[str, bytes]:
    """The files a browser loads: the index and, for a main index, Pagefind's script and WebAssembly (a
    second index, merged into the main one by the browser, has only its entry file besides)."""
    return {path: data for path, data in files.items()
            if path.startswith(_INDEX_FOLDERS) or (path.startswith("pagefind.") and path.endswith(".pf_meta"))
            or (main and path in _MAIN_FILES) or (not main and path == "pagefind-entry.json")}


def fragment_urls(files: dict[str, bytes]) -> dict[str, str]:
    """{page URL: its fragment's id}, read from the fragments (gzip, the signature, JSON)."""
    found = {}
    for path, data in files.items():
        if path.startswith("fragment/") and path.endswith(".pf_fragment"):
            found[json.loads(open_file(data))["url"]] = path[len("fragment/"):-len(".pf_fragment")]
    return found
