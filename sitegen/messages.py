"""What the generator says about a site's mistakes, by message code, in Vietnamese and English
(i18n.message fills them in)."""

# code -> (Vietnamese, English); {name} placeholders come from Problem.args.
MESSAGES: dict[str, tuple[str, str]] = {
    "config_missing": ("không tìm thấy tệp cấu hình site.toml trong thư mục trang",
                       "site.toml is missing from the site folder"),
    "unreadable": ("không đọc được tệp ({reason})", "cannot read the file ({reason})"),
    "log_missing": ("không đọc được tệp: không có tệp nhật ký này; kiểm tra lại đường dẫn (nginx thường ghi "
                    "nhật ký truy cập ở /var/log/nginx/access.log)",
                    "cannot read the file: there is no such log; check the path (nginx usually writes its access "
                    "log to /var/log/nginx/access.log)"),
    "bad_toml": ("tệp TOML viết sai cú pháp; kiểm tra dấu '=', dấu ngoặc kép và mỗi khóa một dòng "
                 "(chi tiết từ bộ đọc TOML: {reason})",
                 "TOML syntax error; check the '=' signs, the quotes and one key per line "
                 "(the TOML reader says: {reason})"),
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
    "config_bad_search_text": ("'{key}' = {value} không hợp lệ; ghi \"all\" (cả bài) hoặc số ký tự {low}..{high}",
                               "'{key}' = {value} is not allowed; write \"all\" (all the text) or {low}..{high}"),
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
    "utf16_file": ("tệp được lưu ở mã UTF-16 (trong Notepad gọi là \"Unicode\"); hãy mở tệp, chọn Lưu thành "
                   "(Save As) với bảng mã UTF-8", "the file is saved as UTF-16 (\"Unicode\" in Notepad); open it and "
                   "use Save As with the UTF-8 encoding"),
    "binary_file": ("tệp chứa ký tự NUL, có vẻ không phải văn bản",
                    "the file contains NUL bytes and does not look like text"),
    "no_front_matter": ("bài viết phải bắt đầu bằng phần thông tin giữa hai dòng '---'",
                        "a post must start with front matter between two '---' lines"),
    "unclosed_front_matter": ("phần thông tin mở bằng '---' nhưng không có dòng '---' đóng lại",
                              "the front matter opened with '---' is never closed by another '---'"),
    "front_matter_not_mapping": ("phần thông tin phải gồm các dòng 'khóa: giá trị'",
                                 "front matter must be 'key: value' lines"),
    "bad_yaml": ("phần thông tin viết sai cú pháp; kiểm tra dấu hai chấm, dấu ngoặc kép và thụt lề "
                 "(chi tiết từ bộ đọc YAML: {reason})",
                 "YAML syntax error; check colons, quotes and indentation (the YAML reader says: {reason})"),
    "bad_yaml_token": ("giá trị không được bắt đầu bằng ký tự '{char}' (YAML dành riêng ký tự này); hãy đặt cả giá "
                       "trị trong ngoặc kép, ví dụ: title: \"{char}...\"",
                       "a value cannot start with '{char}' (YAML reserves it); put the whole value in double quotes, "
                       "e.g. title: \"{char}...\""),
    "bad_yaml_escape": ("trong ngoặc kép, dấu '\\' mở đầu một ký tự đặc biệt; hãy viết '\\\\' thay cho '\\', hoặc dùng "
                        "ngoặc đơn '...' hay dấu '/' (đường dẫn)",
                        "inside double quotes '\\' starts an escape; write '\\\\' for '\\', or use single quotes "
                        "'...' or '/' (paths)"),
    "bad_yaml_indent": ("dòng này thụt lề sai hoặc thiếu dấu ':' sau tên khóa; mỗi dòng phải có dạng 'khóa: giá trị' "
                        "bắt đầu sát lề trái, dòng con của danh sách thụt lề như nhau",
                        "wrong indentation or a missing ':' after the key; each line is 'key: value' starting at the "
                        "left margin, and list items are indented alike"),
    "bad_yaml_colon": ("dòng này có dấu hai chấm ':' ở chỗ không được phép; nếu giá trị có dấu hai chấm, "
                       "hãy đặt cả giá trị trong ngoặc kép, ví dụ: title: \"Thông báo: lịch tiếp dân\"",
                       "a colon ':' where it is not allowed; put a value that contains a colon in double quotes, "
                       "e.g. title: \"Notice: office hours\""),
    "bad_yaml_list": ("danh sách mở bằng dấu '[' chưa được đóng; hãy viết cả danh sách trên dòng này, các mục cách "
                      "nhau bằng dấu phẩy và kết thúc bằng ']', ví dụ: tags: [Lịch cắt điện, Điện lực]",
                      "a list opened with '[' is never closed; write the whole list on this line, items separated "
                      "by commas and ending with ']', e.g. tags: [Power cuts, Electricity]"),
    "bad_yaml_quote": ("dấu ngoặc mở giá trị ở dòng này ({char}) chưa được đóng; hãy thêm đúng dấu đó ở cuối giá trị, "
                       "ví dụ: title: \"Thông báo lịch tiếp công dân\"",
                       "the quote that opens the value on this line ({char}) is never closed; add the same quote at "
                       "the end of the value, e.g. title: \"Office hours\""),
    "bad_yaml_unclosed": ("thiếu giá trị, hoặc có dấu ngoặc vuông, ngoặc nhọn hay ngoặc kép chưa đóng",
                          "a value is missing, or a bracket, brace or quote is never closed"),
    "bad_yaml_tab": ("phần thông tin có ký tự Tab; hãy thụt lề bằng dấu cách", "the front matter contains a tab; "
                     "indent with spaces"),
    "file_too_large": ("tệp quá lớn ({size} byte, tối đa {limit}); hãy chia thành nhiều bài, đưa ảnh và tài liệu "
                       "thành tệp riêng", "the file is too large ({size} bytes, at most {limit}); split it, and keep "
                       "images and documents as files of their own"),
    "fm_too_large": ("phần thông tin quá dài ({size} ký tự, tối đa {limit}); hãy đưa phần chữ dài xuống thân bài",
                     "the front matter is too long ({size} characters, at most {limit}); move long text into the body"),
    "fm_too_deep": ("phần thông tin lồng nhau quá sâu (quá {limit} tầng ngoặc hoặc thụt lề); mỗi khóa chỉ cần một "
                    "giá trị hoặc một danh sách, ví dụ: tags: [CCHC, PAPI]",
                    "the front matter nests too deeply (more than {limit} levels of brackets or indentation); each "
                    "key needs one value or one list, e.g. tags: [CCHC, PAPI]"),
    "body_too_deep": ("danh sách hoặc trích dẫn lồng nhau quá sâu (quá {limit} tầng thụt lề); hãy bớt thụt lề đầu dòng",
                      "lists or quotes nest too deeply (more than {limit} levels of indentation); indent less"),
    "body_brackets_deep": ("có quá {limit} dấu '[' lồng nhau trong một đoạn; nếu dấu '[' là chữ thường, hãy viết '\\['",
                           "more than {limit} '[' nested in one paragraph; write '\\[' for a plain '['"),
    "body_unclosed": ("đoạn văn bắt đầu từ dòng này có hơn {limit} dấu '{char}' không được đóng; hãy đóng chúng, "
                      "hoặc viết '\\{char}' nếu đó là chữ thường",
                      "the paragraph starting here leaves more than {limit} '{char}' unclosed; close them, or write "
                      "'\\{char}' for a plain '{char}'"),
    "markdown_timeout": ("phần nội dung cần hơn {seconds} giây để xử lý nên đã bị dừng; hãy kiểm tra các dấu "
                         "[ ] ( ) < > * _ lặp lại nhiều lần",
                         "the body took more than {seconds} seconds to convert and was stopped; look for long runs "
                         "of [ ] ( ) < > * _"),
    "markdown_too_deep": ("phần nội dung lồng nhau quá sâu để xử lý (danh sách, trích dẫn hoặc định dạng trong định "
                          "dạng); hãy bớt lồng nhau", "the body nests too deeply to convert (lists, quotes or "
                          "formatting inside formatting); nest less"),
    "markdown_failed": ("không chuyển được phần nội dung thành trang (chi tiết: {reason})",
                        "the body could not be converted (detail: {reason})"),
    "yaml_comment": ("dấu '#' đứng sau khoảng trắng mở đầu một ghi chú trong YAML nên phần '{cut}' bị bỏ mất; nếu "
                     "đó là một phần của giá trị, hãy đặt cả giá trị trong ngoặc kép: {fix}",
                     "a '#' after a space starts a YAML comment, so '{cut}' is dropped; if it belongs to the value, "
                     "put the whole value in double quotes: {fix}"),
    "yaml_comment_start": ("giá trị bắt đầu bằng '#' bị YAML coi là ghi chú nên bị bỏ trống; hãy đặt cả giá trị "
                           "trong ngoặc kép: {fix}", "a value starting with '#' is a YAML comment, so the value is "
                           "empty; put it in double quotes: {fix}"),
    "unknown_field": ("khóa '{key}' không được hỗ trợ và sẽ bị bỏ qua{hint_vi}",
                      "unknown key '{key}' is ignored{hint_en}"),
    "unknown_word": ("không có chữ '{key}' trong giao diện, dòng này bị bỏ qua{hint_vi}",
                     "the theme has no word '{key}'; this line is ignored{hint_en}"),
    "missing_field": ("thiếu khóa bắt buộc '{key}'", "the required key '{key}' is missing"),
    "bad_text": ("'{key}' phải là một dòng chữ", "'{key}' must be text"),
    "bad_date": ("ngày '{value}' không đúng dạng; các dạng được chấp nhận: {forms} (ngày trước tháng)",
                 "date '{value}' is not in an accepted form: {forms} (day before month)"),
    "bad_date_no_month": ("ngày '{value}' không có thật: không có tháng {month}",
                          "the date '{value}' does not exist: there is no month {month}"),
    "bad_date_no_day": ("ngày '{value}' không có thật: tháng {month} năm {year} chỉ có {last} ngày",
                        "the date '{value}' does not exist: month {month} of {year} has {last} days"),
    "bad_date_marker_hour": ("ngày '{value}' không có thật: với SA hoặc CH giờ chỉ từ 1 đến 12",
                             "the date '{value}' does not exist: with SA/CH (AM/PM) the hour goes from 1 to 12"),
    "bad_date_no_time": ("ngày '{value}' không có thật: giờ chỉ từ 0 đến 23, phút và giây từ 0 đến 59",
                         "the date '{value}' does not exist: hours go from 0 to 23, minutes and seconds from 0 to 59"),
    "bad_date_out_of_range": ("ngày '{value}' không có thật: ngày nằm ngoài khoảng được hỗ trợ",
                              "the date '{value}' does not exist: the date is outside the supported range"),
    "bad_date_month_first": ("ngày '{value}' viết tháng trước ngày; ở đây ngày luôn đứng trước tháng: {swapped}",
                             "the date '{value}' puts the month first; write the day first: {swapped}"),
    "bad_date_short_year": ("ngày '{value}' cần năm đủ bốn chữ số, ví dụ: {full}",
                            "the date '{value}' needs a four-digit year, e.g. {full}"),
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
    "windows_path_link": ("liên kết '{value}' dùng dấu '\\' của Windows; trên trang web hãy viết dấu '/': {fix}",
                          "the link '{value}' uses Windows '\\'; on the web write '/': {fix}"),
    "local_path_link": ("liên kết '{value}' trỏ tới một tệp trên máy tính của bạn, người đọc không mở được; hãy chép "
                        "tệp vào content/ (ví dụ content/files/) và liên kết tới đó",
                        "the link '{value}' points at a file on your own computer, which readers cannot open; copy "
                        "the file into content/ (e.g. content/files/) and link to it there"),
    "file_link": ("liên kết '{value}' trỏ tới một tệp trên máy tính của bạn nên đã bị bỏ khỏi trang; hãy chép tệp vào "
                  "content/ (ví dụ content/files/) và liên kết tới đó",
                  "the link '{value}' points at a file on your own computer and was dropped from the page; copy "
                  "the file into content/ (e.g. content/files/) and link to it there"),
    "same_name_nfc": ("tên tệp này chỉ khác '{other}' ở cách lưu dấu tiếng Việt (Unicode NFC/NFD), nên cả hai sẽ "
                      "thành một địa chỉ; hãy xóa hoặc đổi tên một tệp",
                      "this file's name differs from '{other}' only in how its accents are stored (Unicode NFC/NFD), "
                      "so both would have one address; remove or rename one"),
    "output_inside_source": ("thư mục kết quả '{value}' nằm trong thư mục {folder}/ của trang, nên mỗi lần dựng sẽ "
                             "đăng lại chính nó; hãy chọn một thư mục khác, ví dụ public/",
                             "the output folder '{value}' is inside the site's {folder}/ folder, so every build "
                             "would publish itself again; choose another folder, e.g. public/"),
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
    "template_not_found": ("không có mẫu giao diện '{name}'; kiểm tra tên tệp trong extends hoặc include, "
                           "tính từ thư mục templates/",
                           "no template '{name}'; check the file name in extends or include, counted from "
                           "templates/"),
    "template_error": ("lỗi mẫu giao diện; kiểm tra ở dòng này các thẻ mở và đóng (if/endif, for/endfor) "
                       "đủ cặp, tên biến và bộ lọc viết đúng (chi tiết từ Jinja: {reason})",
                       "template error; check on this line that every tag is closed (if/endif, for/endfor) "
                       "and that variable and filter names are right (Jinja says: {reason})"),
    "data_bad": ("tệp dữ liệu sai cú pháp: {reason}", "data file syntax error: {reason}"),
    "data_csv_columns": ("dòng này có số cột khác với dòng tiêu đề (các cột được tách bằng dấu '{delimiter}')",
                         "this row has a different number of columns from the header row (columns are separated "
                         "by '{delimiter}')"),
    "data_missing_column": ("thiếu cột '{column}' mà giao diện cần để hiển thị tệp này; các cột hiện có: {columns}",
                            "the column '{column}' the theme shows is missing; the columns are: {columns}"),
    "data_bad_cell": ("'{column}' phải là {expected}, không phải '{value}'",
                      "'{column}' must be a {expected}, not '{value}'"),
    "data_duplicate": ("đã có một tệp dữ liệu khác tên '{name}'", "another data file is already named '{name}'"),
    "new_exists": ("tệp này đã có; không ghi đè. Hãy sửa tệp đó hoặc chọn tiêu đề khác",
                   "this file already exists and is not overwritten; edit it or choose another title"),
    "new_bad_title": ("tiêu đề '{value}' không tạo được tên tệp; hãy dùng chữ hoặc số",
                      "no file name can be made from the title '{value}'; use letters or digits"),
    "build_crashed": ("việc dựng trang dừng vì một lỗi không lường trước ({reason}); bản xem trước vẫn chạy, hãy sửa "
                      "tệp rồi lưu lại", "the build stopped on an unexpected error ({reason}); the preview keeps "
                      "running: fix the file and save again"),
    "views_damaged": ("tệp lượt xem bị hỏng ({reason}); hãy khôi phục bản sao lưu của data/views.json hoặc xóa "
                      "nó để đếm lại từ các tệp nhật ký còn giữ",
                      "the view count file is damaged ({reason}); restore data/views.json from a backup or "
                      "delete it to count again from the logs still kept"),
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
    "member_absolute": ("đường dẫn '{value}' phải là đường dẫn tương đối, tính từ thư mục cổng tỉnh, ví dụ "
                        "xa/tan-hoa",
                        "'{value}' must be a relative path from the province's folder, e.g. xa/tan-hoa"),
    "member_in_province": ("'{value}' nằm trong content/, templates/, assets/ hoặc public/ của cổng tỉnh, nên sẽ "
                           "bị đăng lẫn vào cổng tỉnh; hãy đặt trang thành viên ở thư mục khác, ví dụ xa/",
                           "'{value}' lies in the province's content/, templates/, assets/ or public/ and would be "
                           "published with it; put the member elsewhere, e.g. in xa/"),
    "member_duplicate_base_url": ("base_url '{value}' trùng với địa chỉ của trang thành viên '{other}'; mỗi trang "
                                  "cần địa chỉ riêng, ví dụ https://tenxa.tentinh.gov.vn/",
                                  "base_url '{value}' is the address of member '{other}' already; each site needs "
                                  "its own, e.g. https://commune.province.gov.vn/"),
    "member_province_base_url": ("base_url '{value}' trùng với địa chỉ của cổng tỉnh; mỗi trang cần địa chỉ riêng, "
                                 "ví dụ https://tenxa.tentinh.gov.vn/",
                                 "base_url '{value}' is the province's address; each site needs its own, e.g. "
                                 "https://commune.province.gov.vn/"),
    "member_unknown_key": ("khóa '{key}' không dùng trong [[members]]{hint_vi}; mỗi trang thành viên chỉ có "
                           "'key' (mã) và 'path' (thư mục); tên, địa chỉ, điện thoại ghi trong site.toml của nó",
                           "'{key}' is not a key of [[members]]{hint_en}; a member has only 'key' and 'path'; "
                           "its title, address and phone go in its own site.toml"),
    "member_duplicate_path": ("'{value}' là, chứa hoặc nằm trong thư mục của trang thành viên ở dòng {first}; mỗi "
                              "trang thành viên cần thư mục riêng, không lồng vào nhau, ví dụ xa/tan-hoa và xa/an-phu",
                              "'{value}' is, holds or lies in the folder of the member on line {first}; each member "
                              "needs its own folder, none inside another, e.g. xa/tan-hoa and xa/an-phu"),
    "member_built_alone": ("thư mục này là trang '{value}' của cổng tỉnh ở {province}; dựng riêng sẽ mất giao "
                           "diện và liên kết của cổng tỉnh nên không dựng. Hãy chạy: {fix}",
                           "this folder is the member '{value}' of the province in {province}; built alone it would "
                           "lose the province's theme and its link to the portal, so it is not built. Run: {fix}"),
    "serve_part": ("serve xem trước cả tỉnh cùng mọi trang thành viên (ở /<mã>/); hãy bỏ --only, --no-members",
                   "serve previews the province with every member (at /<key>/); leave out --only, --no-members"),
    "member_has_members": ("trang thành viên không có trang thành viên riêng; xóa [[members]] khỏi tệp này (mọi "
                           "xã, phường đều khai báo trong site.toml của cổng tỉnh)",
                           "a member has no members of its own; remove [[members]] from this file (every "
                           "commune is listed in the province's site.toml)"),
    "member_key_is_page": ("mã trang thành viên '{value}' trùng với trang /{value}/ của cổng tỉnh; hãy đổi mã, ví "
                           "dụ theo tên xã, phường: '{suggestion}'",
                           "member key '{value}' is the province's page /{value}/ already; choose another, "
                           "e.g. the commune's name: '{suggestion}'"),
    "member_only_and_none": ("--only và --no-members không dùng cùng nhau: --only dựng một trang thành viên, "
                             "--no-members chỉ dựng cổng tỉnh",
                             "--only and --no-members do not go together: --only builds one member, "
                             "--no-members only the province"),
    "member_only_output": ("--only không dùng cùng --output: --output là thư mục kết quả của cổng tỉnh, mà --only "
                           "không dựng cổng tỉnh; trang thành viên được ghi vào public/ trong thư mục của nó, hoặc "
                           "vào DIR/<mã> với --members-output DIR",
                           "--only does not go with --output: --output is the province's output, and --only does "
                           "not build the province; the member is written into public/ in its own folder, or "
                           "into DIR/<key> with --members-output DIR"),
    "member_output_left": ("thư mục này là trang đã dựng cho một xã, phường không còn trong [[members]] (mã đã "
                           "đổi hoặc đã bỏ); máy chủ web vẫn đăng nó: hãy xóa thư mục nếu không còn dùng",
                           "this folder holds a site built for a member no longer in [[members]] (its key renamed "
                           "or taken out); the web server still publishes it: delete the folder if it is not used"),
    "member_unknown": ("--only: không có trang thành viên '{value}'{hint_vi}; các mã có: {choices}",
                       "--only: there is no member '{value}'{hint_en}; the keys are: {choices}"),
    "no_members": ("site.toml không khai báo trang thành viên [[members]] nào",
                   "site.toml lists no [[members]]"),
    "worker_stopped": ("một tiến trình dựng trang bị dừng giữa chừng, thường do máy thiếu bộ nhớ; kết quả cũ được "
                       "giữ nguyên; hãy dựng lại, hoặc dùng --jobs 1 để dựng trong một tiến trình, tốn ít bộ nhớ hơn",
                       "a build process was stopped midway, most often because the machine ran short of memory; "
                       "the previous output is unchanged; build again, or use --jobs 1 to build in one process, "
                       "which takes less memory"),
    "write_failed": ("không ghi được thư mục kết quả ({reason}); kết quả cũ được giữ nguyên",
                     "cannot write the output ({reason}); the previous output is unchanged"),
    "output_not_folder": ("thư mục kết quả '{value}' là một tệp, không phải thư mục; hãy chọn một thư mục "
                          "khác với --output", "the output '{value}' is a file, not a folder; choose a folder "
                          "with --output"),
    "unreadable_folder": ("không đọc được thư mục này ({reason}); các bài trong đó sẽ bị thiếu nên chưa dựng; "
                          "hãy cấp quyền đọc cho thư mục", "cannot read this folder ({reason}); its posts would be "
                          "missing, so nothing is built; give read permission on the folder"),
    "search_failed": ("không dựng được chỉ mục tìm kiếm ({reason}); hãy cài Pagefind bằng `pip install -r "
                      "requirements.txt`, hoặc tắt tìm kiếm bằng `search = false` trong site.toml",
                      "the search index could not be built ({reason}); install Pagefind with `pip install -r "
                      "requirements.txt`, or turn search off with `search = false` in site.toml"),
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
    "serve_temporary": ("một bản xem trước khác của trang này đang chạy (hoặc không ghi được vào thư mục trang): bản "
                        "này dựng vào một thư mục tạm, xóa khi dừng, nên lần nào cũng dựng lại toàn bộ",
                        "another preview of this site is running (or the site folder is not writable): this one "
                        "builds into a temporary folder, removed when it stops, so it builds everything each time"),
    "serve_failed": ("không mở được máy chủ xem trước tại {value} ({reason})",
                     "cannot start the preview server at {value} ({reason})"),
    "image_undecodable": ("ảnh '{value}' không đọc được kích thước (tệp hỏng hoặc không thật sự là ảnh "
                          "JPEG/PNG/GIF/WebP); hãy lưu lại ảnh", "the image '{value}' has no readable size "
                          "(a damaged file, or not really a JPEG/PNG/GIF/WebP image); save the image again"),
    "config_bad_date": ("'{key}' = '{value}' không phải ngày giờ; các dạng được chấp nhận: {forms}",
                        "'{key}' = '{value}' is not a date; accepted forms: {forms}"),
    "config_maintenance_order": ("thời điểm kết thúc bảo trì 'end' phải sau thời điểm bắt đầu 'start'",
                                 "the maintenance 'end' must come after its 'start'"),
    "config_maintenance_late": ("thông báo tạm dừng phải đăng trước ít nhất {days} ngày làm việc (Nghị định "
                                "224/2026/NĐ-CP, điều 13), tức là chậm nhất từ ngày {latest}",
                                "planned downtime must be announced at least {days} working days ahead (Decree "
                                "224/2026/NĐ-CP, art. 13), that is from {latest} at the latest"),
    # Documents (content/van-ban/), Decree 30/2020/NĐ-CP
    "doc_number_form": ("số, ký hiệu '{value}' không đúng thể thức Nghị định 30/2020/NĐ-CP; viết số/ký hiệu "
                        "hoặc số/năm/ký hiệu, ví dụ: {examples}",
                        "number and code '{value}' is not in the form of Decree 30/2020/NĐ-CP; write "
                        "number/code or number/year/code, e.g. {examples}"),
    "doc_number_eth": ("số, ký hiệu '{value}' có chữ 'Ð' (eth, U+00D0) trông giống 'Đ' nhưng là chữ khác; "
                       "hãy gõ lại thành '{fixed}'",
                       "number and code '{value}' holds 'Ð' (eth, U+00D0), which looks like 'Đ' but is another "
                       "letter; type it as '{fixed}'"),
    "doc_number_spaces": ("số, ký hiệu '{value}' không được có dấu cách; viết '{fixed}'",
                          "number and code '{value}' must not contain spaces; write '{fixed}'"),
    "doc_number_zero": ("số văn bản trong '{value}' phải bắt đầu từ 01", "the number in '{value}' starts at 01"),
    "doc_number_padding": ("số văn bản nhỏ hơn 10 phải có số 0 phía trước, số từ 10 trở lên thì không: viết "
                           "'{fixed}' thay cho '{value}'",
                           "numbers below 10 take one leading zero and larger ones none: write '{fixed}', not "
                           "'{value}'"),
    "doc_number_code": ("ký hiệu '{part}' trong '{value}' phải gồm các chữ viết tắt nối bằng dấu gạch ngang, "
                        "mỗi phần bắt đầu bằng chữ in hoa, ví dụ KH-UBND, TTr-SNV",
                        "the code '{part}' in '{value}' must be abbreviations joined by hyphens, each starting "
                        "with a capital letter, e.g. KH-UBND, TTr-SNV"),
    "doc_number_d_bar": ("ký hiệu '{value}' viết '{part}'; chữ viết tắt đúng là '{fixed}' (chữ Đ)",
                         "the code '{value}' writes '{part}'; the abbreviation is '{fixed}' (with Đ)"),
    "doc_number_wrong_type": ("ký hiệu '{value}' bắt đầu bằng '{abbr}' nhưng loại văn bản là {type}, "
                              "có chữ viết tắt '{expected}'",
                              "the code '{value}' starts with '{abbr}' but the type is {type}, abbreviated "
                              "'{expected}'"),
    "doc_number_no_body": ("ký hiệu '{value}' thiếu chữ viết tắt tên loại hoặc tên cơ quan; ví dụ {abbr}-UBND",
                           "the code '{value}' lacks the type's or the body's abbreviation; e.g. {abbr}-UBND"),
    "doc_number_not_letter": ("ký hiệu '{value}' bắt đầu bằng '{abbr}' của {other}, nhưng loại văn bản là "
                              "{type}; sửa 'loai' hoặc ký hiệu",
                              "the code '{value}' starts with '{abbr}', the abbreviation of {other}, but the type "
                              "is {type}; correct 'loai' or the code"),
    "doc_number_year": ("năm {year} trong số, ký hiệu '{value}' khác năm ban hành {issued}",
                        "the year {year} in '{value}' differs from the year of issue {issued}"),
    "doc_unknown_type": ("loại văn bản '{value}' không có trong 29 loại của Nghị định 30/2020/NĐ-CP{hint_vi}",
                         "document type '{value}' is not one of the 29 of Decree 30/2020/NĐ-CP{hint_en}"),
    "doc_bad_status": ("tình trạng '{value}' không hợp lệ{hint_vi}; chọn một trong: {choices}",
                       "status '{value}' is not allowed{hint_en}; use one of: {choices}"),
    "doc_file_type": ("tệp đính kèm '{value}' phải là {allowed}", "attachment '{value}' must be {allowed}"),
    "doc_file_missing": ("không có tệp đính kèm '{value}' ({where}); hãy chép tệp vào đó hoặc sửa đường dẫn",
                         "the attachment '{value}' ({where}) does not exist; copy the file there or correct the path"),
    "doc_duplicate": ("số, ký hiệu '{value}' năm {year} bị trùng với {other}",
                      "number and code '{value}' of {year} is also used by {other}"),
    "doc_replaces_unknown": ("'thay_the' nêu văn bản '{value}' nhưng không có văn bản nào ban hành trước với "
                             "số, ký hiệu này",
                             "'thay_the' names '{value}', but no document issued before this one has that number"),
    # Work schedule (content/lich-cong-tac/)
    "schedule_bad_name": ("tên tệp lịch '{name}' phải theo dạng <năm>-W<tuần>.toml, ví dụ 2026-W47.toml",
                          "schedule file name '{name}' must be <year>-W<week>.toml, e.g. 2026-W47.toml"),
    "schedule_bad_toml": ("tệp lịch viết sai cú pháp TOML; kiểm tra dấu '=', dấu ngoặc kép và mỗi khóa một dòng "
                          "(chi tiết từ bộ đọc TOML: {reason})",
                          "TOML syntax error; check the '=' signs, the quotes and one key per line "
                          "(the TOML reader says: {reason})"),
    "schedule_unknown_key": ("khóa '{key}' không dùng trong lịch công tác{hint_vi}",
                             "unknown key '{key}' in a schedule{hint_en}"),
    "schedule_not_tables": ("các mục lịch phải viết thành các bảng [[muc]]", "entries must be [[muc]] tables"),
    "schedule_no_time": ("mục lịch cần 'buoi' (Sáng, Chiều, Tối) hoặc 'gio' (ví dụ \"08:00\")",
                         "the entry needs 'buoi' (Sáng, Chiều, Tối) or 'gio' (e.g. \"08:00\")"),
    "schedule_bad_date": ("ngày '{value}' không đúng dạng; viết ví dụ {forms}",
                          "date '{value}' is not in an accepted form, e.g. {forms}"),
    "schedule_outside_week": ("ngày {value} không thuộc tuần {week} năm {year} ({start} - {end}) của tệp này",
                              "{value} is outside week {week} of {year} ({start} - {end}) of this file"),
    "schedule_bad_session": ("buổi '{value}' không hợp lệ; chọn một trong: {choices}",
                             "session '{value}' is not allowed; use one of: {choices}"),
    "schedule_bad_time": ("giờ '{value}' không hợp lệ; viết giờ:phút từ 00:00 đến 23:59, ví dụ \"08:00\"",
                          "time '{value}' is not valid; write hours:minutes from 00:00 to 23:59, e.g. \"08:00\""),
    "schedule_time_session": ("giờ {value} không thuộc buổi {session} ({low} - {high})",
                              "{value} is not in the {session} session ({low} - {high})"),
    "schedule_duplicate_week": ("tuần này đã có tệp lịch {other}", "this week already has the schedule {other}"),
}
