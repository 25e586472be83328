"""Messages for authors, in Vietnamese and English; labels the generator itself needs."""

from __future__ import annotations

import re

from sitegen.problems import Problem

# code -> (Vietnamese, English); {name} placeholders come from Problem.args.
MESSAGES: dict[str, tuple[str, str]] = {
    "config_missing": ("không tìm thấy tệp cấu hình site.toml trong thư mục trang",
                       "site.toml is missing from the site folder"),
    "unreadable": ("không đọc được tệp ({reason})", "cannot read the file ({reason})"),
    "bad_toml": ("tệp TOML viết sai cú pháp: {reason}", "TOML syntax error: {reason}"),
    "config_unknown_key": ("khóa '{key}' không có trong danh sách khóa được phép{hint_vi}",
                           "unknown key '{key}'{hint_en}"),
    "config_missing_key": ("thiếu khóa bắt buộc '{key}'", "the required key '{key}' is missing"),
    "config_bad_type": ("giá trị của '{key}' phải là {expected}", "'{key}' must be a {expected}"),
    "config_empty": ("'{key}' không được để trống", "'{key}' must not be empty"),
    "config_bad_base_url": ("base_url '{value}' phải là địa chỉ tuyệt đối, ví dụ https://mauson.example/",
                            "base_url '{value}' must be an absolute URL such as https://mauson.example/"),
    "config_bad_choice": ("'{key}' = '{value}' không hợp lệ; chọn một trong: {choices}",
                          "'{key}' = '{value}' is not allowed; use one of: {choices}"),
    "config_bad_timezone": ("không biết múi giờ '{value}'; ví dụ đúng: Asia/Ho_Chi_Minh",
                            "unknown timezone '{value}'; for example Asia/Ho_Chi_Minh"),
    "config_out_of_range": ("'{key}' = {value} phải nằm trong khoảng {low}..{high}",
                            "'{key}' = {value} must be between {low} and {high}"),
    "config_no_categories": ("cần khai báo ít nhất một chuyên mục [[categories]]",
                             "at least one [[categories]] entry is required"),
    "config_bad_category_key": ("mã chuyên mục '{value}' chỉ được gồm chữ thường không dấu, số và dấu "
                                "gạch ngang; gợi ý: '{suggestion}'",
                                "category key '{value}' may hold only lowercase ASCII letters, digits "
                                "and hyphens; try '{suggestion}'"),
    "config_duplicate_category": ("mã chuyên mục '{value}' bị trùng với dòng {first}",
                                  "category key '{value}' repeats the one on line {first}"),
    "config_reserved_key": ("mã chuyên mục '{value}' trùng với đường dẫn dành riêng của hệ thống; hãy đổi tên",
                            "category key '{value}' is reserved by the generator; choose another"),
    "not_utf8": ("tệp không ở mã UTF-8; hãy lưu lại với bảng mã UTF-8",
                 "the file is not UTF-8; save it again as UTF-8"),
    "binary_file": ("tệp chứa ký tự NUL, có vẻ không phải văn bản",
                    "the file contains NUL bytes and does not look like text"),
    "no_front_matter": ("bài viết phải bắt đầu bằng phần thông tin giữa hai dòng '---'",
                        "a post must start with front matter between two '---' lines"),
    "unclosed_front_matter": ("phần thông tin mở bằng '---' nhưng không có dòng '---' đóng lại",
                              "the front matter opened with '---' is never closed by another '---'"),
    "front_matter_not_mapping": ("phần thông tin phải gồm các dòng 'khóa: giá trị'",
                                 "front matter must be 'key: value' lines"),
    "bad_yaml": ("phần thông tin viết sai cú pháp YAML ({reason}); kiểm tra dấu hai chấm, "
                 "dấu ngoặc kép và thụt lề", "YAML syntax error ({reason}); check colons, quotes and indentation"),
    "bad_yaml_colon": ("dòng này có dấu hai chấm ':' ở chỗ không được phép; nếu giá trị có dấu hai chấm, "
                       "hãy đặt cả giá trị trong ngoặc kép, ví dụ: title: \"Thông báo: lịch tiếp dân\"",
                       "a colon ':' where it is not allowed; put a value that contains a colon in double quotes, "
                       "e.g. title: \"Notice: office hours\""),
    "bad_yaml_unclosed": ("thiếu giá trị, hoặc có dấu ngoặc vuông, ngoặc nhọn hay ngoặc kép chưa đóng",
                          "a value is missing, or a bracket, brace or quote is never closed"),
    "bad_yaml_tab": ("phần thông tin có ký tự Tab; hãy thụt lề bằng dấu cách", "the front matter contains a tab; "
                     "indent with spaces"),
    "unknown_field": ("khóa '{key}' không được hỗ trợ và sẽ bị bỏ qua{hint_vi}",
                      "unknown key '{key}' is ignored{hint_en}"),
    "missing_field": ("thiếu khóa bắt buộc '{key}'", "the required key '{key}' is missing"),
    "bad_text": ("'{key}' phải là một dòng chữ", "'{key}' must be text"),
    "bad_date": ("ngày '{value}' không đúng dạng; các dạng được chấp nhận: {forms} (ngày trước tháng)",
                 "date '{value}' is not in an accepted form: {forms} (day before month)"),
    "unknown_category": ("không có chuyên mục '{value}'{hint_vi}; các chuyên mục hiện có: {known}",
                         "unknown category '{value}'{hint_en}; known categories: {known}"),
    "bad_views": ("'views' phải là số nguyên không âm, không phải '{value}'",
                  "'views' must be a whole number of 0 or more, not '{value}'"),
    "bad_list": ("'{key}' phải là danh sách, ví dụ: [CCHC, PAPI]", "'{key}' must be a list, e.g. [CCHC, PAPI]"),
    "bad_bool": ("'{key}' chỉ nhận true hoặc false", "'{key}' must be true or false"),
    "empty_slug": ("không tạo được đường dẫn từ tiêu đề; hãy thêm 'slug:' bằng chữ không dấu",
                   "no URL can be made from the title; add a 'slug:' in plain letters"),
    "image_without_alt": ("ảnh đại diện chưa có 'image_alt' hoặc 'image_caption' cho người khiếm thị",
                          "the cover image has neither 'image_alt' nor 'image_caption'"),
    "no_content": ("không có thư mục content/", "there is no content/ folder"),
    "path_outside": ("liên kết tượng trưng trỏ ra ngoài thư mục trang; đã bỏ qua",
                     "symbolic link points outside the site folder"),
    "path_outside_field": ("đường dẫn '{key}: {value}' trỏ ra ngoài thư mục trang",
                           "the path '{key}: {value}' reaches outside the site folder"),
    "path_outside_link": ("liên kết '{value}' trỏ ra ngoài thư mục content/",
                          "the link '{value}' reaches outside content/"),
    "duplicate_url": ("đường dẫn {url} bị trùng với {other}; hãy đổi 'slug:' của một trong hai",
                      "the URL {url} is also produced by {other}; change the 'slug:' of one of them"),
    "static_collides": ("tệp này trùng đường dẫn {url} với một trang do hệ thống tạo; hãy đổi tên tệp",
                        "this file would land on {url}, a page the generator makes; rename the file"),
    "bad_alias": ("địa chỉ cũ '{value}' phải là đường dẫn trong trang, bắt đầu bằng '/', ví dụ /tin-cu/kiem-tra/",
                  "old URL '{value}' must be a path on this site starting with '/', e.g. /old/news/"),
    "bad_char": ("'{key}' chứa ký tự điều khiển không nhìn thấy ({char}); hãy xóa ký tự này",
                 "'{key}' holds an invisible control character ({char}); remove it"),
    "too_long": ("'{key}' quá dài để làm đường dẫn (tối đa {limit} ký tự): '{value}'",
                 "'{key}' is too long for a URL (at most {limit} characters): '{value}'"),
    "bad_image_url": ("ảnh '{value}' phải là tệp trong trang (ví dụ /images/2022/a.jpg) hoặc địa chỉ https://",
                      "image '{value}' must be a file of the site (e.g. /images/2022/a.jpg) or an https:// address"),
    "missing_file": ("liên kết tới '{value}' nhưng trang không có tệp này",
                     "links to '{value}', which the site does not have"),
    "template_error": ("lỗi mẫu giao diện: {reason}", "template error: {reason}"),
    "data_bad": ("tệp dữ liệu sai cú pháp: {reason}", "data file syntax error: {reason}"),
    "data_csv_columns": ("dòng này có số cột khác với dòng tiêu đề", "this row has a different number of columns "
                         "from the header row"),
    "data_duplicate": ("đã có một tệp dữ liệu khác tên '{name}'", "another data file is already named '{name}'"),
    "new_exists": ("tệp này đã có; không ghi đè. Hãy sửa tệp đó hoặc chọn tiêu đề khác",
                   "this file already exists and is not overwritten; edit it or choose another title"),
    "new_bad_title": ("tiêu đề '{value}' không tạo được tên tệp; hãy dùng chữ hoặc số",
                      "no file name can be made from the title '{value}'; use letters or digits"),
    "member_bad_key": ("mã trang thành viên '{value}' chỉ được gồm chữ thường không dấu, số và dấu gạch "
                       "ngang; gợi ý: '{suggestion}'",
                       "member key '{value}' may hold only lowercase ASCII letters, digits and hyphens; "
                       "try '{suggestion}'"),
    "member_duplicate_key": ("mã trang thành viên '{value}' bị trùng với dòng {first}",
                             "member key '{value}' repeats the one on line {first}"),
    "member_key_taken": ("mã trang thành viên '{value}' trùng với một đường dẫn của cổng tỉnh; hãy đổi tên",
                         "member key '{value}' is a path of the province's portal already; choose another"),
    "member_missing": ("không có trang thành viên ở '{value}' (cần thư mục có tệp site.toml)",
                       "no member site at '{value}' (a folder holding site.toml is needed)"),
    "member_outside": ("đường dẫn '{value}' phải là thư mục con của thư mục cổng tỉnh",
                       "'{value}' must be a folder inside the province's folder"),
    "member_in_province": ("'{value}' nằm trong content/, templates/ hoặc assets/ của cổng tỉnh, nên sẽ bị đăng "
                           "lẫn vào cổng tỉnh; hãy đặt trang thành viên ở thư mục khác, ví dụ xa/",
                           "'{value}' lies in the province's content/, templates/ or assets/ and would be published "
                           "with it; put the member elsewhere, e.g. in xa/"),
    "member_duplicate_base_url": ("base_url '{value}' của '{key}' trùng với của {other}",
                                  "base_url '{value}' of '{key}' is also that of {other}"),
    "member_unknown": ("không có trang thành viên '{value}'; các mã có: {choices}",
                       "there is no member '{value}'; the keys are: {choices}"),
    "no_members": ("site.toml không khai báo trang thành viên [[members]] nào",
                   "site.toml lists no [[members]]"),
    "write_failed": ("không ghi được thư mục kết quả ({reason}); kết quả cũ được giữ nguyên",
                     "cannot write the output ({reason}); the previous output is unchanged"),
    "output_not_folder": ("thư mục kết quả '{value}' là một tệp, không phải thư mục; hãy chọn một thư mục "
                          "khác với --output", "the output '{value}' is a file, not a folder; choose a folder "
                          "with --output"),
    "unreadable_folder": ("không đọc được thư mục này ({reason}); các bài trong đó sẽ bị thiếu nên chưa dựng; "
                          "hãy cấp quyền đọc cho thư mục", "cannot read this folder ({reason}); its posts would be "
                          "missing, so nothing is built; give read permission on the folder"),
    "cache_not_saved": ("không lưu được bộ nhớ đệm ({reason}); trang đã được dựng đầy đủ, lần dựng sau sẽ "
                        "dựng lại từ đầu", "the build cache could not be saved ({reason}); the site was built "
                        "in full, and the next build starts from scratch"),
    "output_locked": ("một lần dựng khác vẫn đang ghi vào thư mục kết quả này sau {seconds} giây chờ; "
                      "hãy chạy lại khi nó xong (--wait N để chờ lâu hơn)", "another build is still writing "
                      "to this output folder after waiting {seconds} seconds; run again when it is done "
                      "(--wait N waits longer)"),
    "output_lock_waiting": ("một lần dựng khác đang ghi vào thư mục kết quả này; chờ nó xong (tối đa {seconds} "
                            "giây)", "another build is writing to this output folder; waiting for it "
                            "(at most {seconds} seconds)"),
    "bad_port": ("cổng '{value}' không hợp lệ; hãy chọn một số từ 1 đến 65535, ví dụ --port 8000",
                 "port '{value}' is not valid; choose a number from 1 to 65535, e.g. --port 8000"),
    "serve_failed": ("không mở được máy chủ xem trước tại {value} ({reason})",
                     "cannot start the preview server at {value} ({reason})"),
    "image_undecodable": ("ảnh '{value}' không đọc được kích thước (tệp hỏng hoặc không thật sự là ảnh "
                          "JPEG/PNG/GIF/WebP); hãy lưu lại ảnh", "the image '{value}' has no readable size "
                          "(a damaged file, or not really a JPEG/PNG/GIF/WebP image); save the image again"),
}

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

LABELS: dict[str, tuple[str, str]] = {
    "home": ("Trang chủ", "Home"),
    "tag": ("Thẻ: {name}", "Tag: {name}"),
    "archive": ("Tin năm {year}", "Posts of {year}"),
    "page_n": ("{title} - Trang {n}", "{title} - page {n}"),
    "not_found": ("Không tìm thấy trang", "Page not found"),
    "feed_rss": ("{title} (RSS)", "{title} (RSS)"),
    "feed_atom": ("{title} (Atom)", "{title} (Atom)"),
    "feed_json": ("{title} (JSON Feed)", "{title} (JSON Feed)"),
    "backlink": ("Quay lại chú thích %d", "Back to footnote %d"),
    "summary": ("Tóm tắt", "Summary"),
    "moved": ("Trang đã chuyển", "This page has moved"),
    "wrong_host": ("Bản xem trước này chỉ trả lời theo địa chỉ của chính nó.",
                   "This preview answers only to its own address."),
    "member_news": ("Tin từ cơ sở", "News from the communes"),
    "members": ("Xã, phường", "Communes and wards"),
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
