"""Messages for authors, in Vietnamese and English; labels the generator itself needs."""

from __future__ import annotations

import re

from sitegen.messages import MESSAGES
from sitegen.problems import Problem

# System errors (OSError.errno names) in words; the system's own wording is the fallback for the rest.
OS_REASONS: dict[str, tuple[str, str]] = {
    "EACCES": ("không có quyền truy cập", "permission denied"),
    "EPERM": ("không được phép thao tác", "operation not permitted"),
    "ENOSPC": ("ổ đĩa đã đầy", "the disk is full"),
    "EDQUOT": ("đã hết hạn mức dung lượng được cấp", "the disk quota is used up"),
    "EROFS": ("ổ đĩa chỉ cho phép đọc", "the file system is read-only"),
    "ENOENT": ("không tìm thấy tệp hoặc thư mục", "no such file or folder"),
    "ENOTDIR": ("một phần của đường dẫn là tệp, không phải thư mục", "a part of the path is a file, not a folder"),
    "EISDIR": ("đây là thư mục, không phải tệp", "this is a folder, not a file"),
    "EEXIST": ("đã có một tệp trùng tên", "a file of that name is in the way"),
    "ENAMETOOLONG": ("tên tệp quá dài", "the file name is too long"),
    "EIO": ("lỗi đọc ghi ổ đĩa", "a disk input/output error"),
    "EMFILE": ("mở quá nhiều tệp cùng lúc", "too many open files"),
    "EADDRINUSE": ("cổng này đang được chương trình khác dùng", "the port is already in use"),
    "EADDRNOTAVAIL": ("máy này không có địa chỉ đó", "this machine has no such address"),
}


def os_reason(params: dict[str, str], lang: str) -> str:
    """The reason of a system error in the site's language, with the file it concerns."""
    words = OS_REASONS.get(params.get("errno", ""))
    reason = _pick(words, lang) if words else params.get("reason", "")
    return f"{reason}: {params['file']}" if params.get("file") else reason

_TYPE_WORDS = {"string": ("chuỗi chữ trong ngoặc kép", "quoted string"), "integer": ("số nguyên", "whole number"),
               "list": ("danh sách [..]", "list [..]"), "table": ("bảng", "table"),
               "list of host names": ("danh sách tên máy chủ", "list of host names")}

SEVERITY = {"error": ("lỗi", "error"), "warning": ("cảnh báo", "warning"), "note": ("lưu ý", "note")}

LABELS: dict[str, tuple[str, str]] = {  # the generator's own words; the theme's are in templates/words/
    "markdown_fallback_version": (
        "ghi chú: Python-Markdown {version} không phải bản {pinned} mà bước xử lý nội dòng nhanh đã được kiểm "
        "chứng; dùng bước xử lý của thư viện (cùng kết quả, chậm hơn).",
        "note: Python-Markdown {version} is not {pinned}, which the faster inline pass was checked against; "
        "using the library's own pass (same output, slower)."),
    "markdown_fallback_patterns": (
        "ghi chú: các mẫu Markdown nội dòng khác với những mẫu bước xử lý nhanh đã được kiểm chứng; dùng bước "
        "xử lý của thư viện (cùng kết quả, chậm hơn).",
        "note: the inline Markdown patterns differ from those the faster inline pass was checked against; "
        "using the library's own pass (same output, slower)."),
    "wrong_host": ("Bản xem trước này chỉ trả lời theo địa chỉ của chính nó.",
                   "This preview answers only to its own address."),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def label(key: str, lang: str, **args: object) -> str:
    return _pick(LABELS[key], lang).format(**args) if args else _pick(LABELS[key], lang)


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
MAX_PARAM = 1000


def _printable(value: str) -> str:
    """One line, no terminal escapes: control characters as \\xNN, long values cut."""
    value = _UNPRINTABLE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 256 else f"\\u{ord(m[0]):04x}", value)
    return value if len(value) <= MAX_PARAM else value[:MAX_PARAM] + "..."


def message(item: Problem, lang: str) -> str:
    params = {key: _printable(value) for key, value in item.params.items()}
    hint = params.get("hint", "")
    params["hint_vi"] = f" (có phải ý bạn là '{hint}'?)" if hint else ""
    params["hint_en"] = f" (did you mean '{hint}'?)" if hint else ""
    if "errno" in params:
        params["reason"] = os_reason(params, lang)
    if "expected" in params and params["expected"] in _TYPE_WORDS:
        params["expected"] = _pick(_TYPE_WORDS[params["expected"]], lang)
    template = _pick(MESSAGES[item.code], lang)
    try:
        return template.format_map(_Missing(params))
    except (ValueError, IndexError, KeyError):  # a message must never stop the report
        return f"{template} {params}"


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def format_problem(item: Problem, lang: str) -> str:
    """'content/a.md:3: lỗi: ...' - one line, path relative to the site folder."""
    where = f"{item.path}:{max(item.line, 1)}"
    return f"{where}: {_pick(SEVERITY[item.severity], lang)}: {message(item, lang)}"


def summary(result: object, check_only: bool, failed: bool) -> str:
    """The closing line of a build or check."""
    lang = getattr(result, "language", "vi")
    problems = getattr(result, "problems", [])
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if failed:
        return (f"Stopped: {errors} error(s), {warnings} warning(s); the output was left unchanged."
                if lang == "en" else
                f"Dừng lại: {errors} lỗi, {warnings} cảnh báo; thư mục kết quả được giữ nguyên.")
    if check_only:
        return (f"Check passed: {getattr(result, 'pages', 0)} files, {warnings} warning(s)."
                if lang == "en" else
                f"Kiểm tra xong: {getattr(result, 'pages', 0)} tệp, {warnings} cảnh báo.")
    stats = getattr(result, "stats", None)
    written, unchanged, removed = (stats.written, stats.unchanged, stats.removed) if stats else (0, 0, 0)
    if lang == "en":
        return (f"Built {written + unchanged} files ({written} written, {unchanged} unchanged, "
                f"{removed} removed), {warnings} warning(s).")
    return (f"Đã dựng {written + unchanged} tệp ({written} ghi mới, {unchanged} không đổi, "
            f"{removed} xóa), {warnings} cảnh báo.")
