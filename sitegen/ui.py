"""Every visible string of the default theme, in Vietnamese and English.

Templates reach these through ``t(key)``; an unknown key is a build error,
so a key used in a template must be listed here, with both languages.
"""

from __future__ import annotations

UI_STRINGS: dict[str, dict[str, str]] = {
    # Page frame
    "skip_to_content": {
        "vi": "Bỏ qua đến nội dung chính",
        "en": "Skip to main content",
    },
    "home": {"vi": "Trang chủ", "en": "Home"},
    "main_nav": {"vi": "Chuyên mục", "en": "Sections"},
    "menu": {"vi": "Danh mục", "en": "Menu"},
    "breadcrumb": {"vi": "Đường dẫn", "en": "Breadcrumb"},
    # Sidebar
    "sidebar": {"vi": "Thông tin bên lề", "en": "More information"},
    "latest": {"vi": "Tin mới nhất", "en": "Latest news"},
    "most_viewed": {"vi": "Xem nhiều nhất", "en": "Most viewed"},
    "views_unit": {"vi": "lượt xem", "en": "views"},
    "ho_so": {
        "vi": "Tình hình giải quyết hồ sơ",
        "en": "Processing of applications",
    },
    "ho_so_period": {"vi": "Kỳ", "en": "Period"},
    "ho_so_received": {"vi": "Tiếp nhận", "en": "Received"},
    "ho_so_on_time": {"vi": "Đúng hạn", "en": "On time"},
    "ho_so_late": {"vi": "Trễ hạn", "en": "Late"},
    "unit": {"vi": "Đơn vị tính", "en": "Unit"},
    "van_ban": {"vi": "Công khai văn bản", "en": "Published documents"},
    "doc_number": {"vi": "Số", "en": "No."},
    "doc_date": {"vi": "ngày", "en": "of"},
    "rss_follow": {
        "vi": "Theo dõi tin mới qua RSS",
        "en": "Follow the news by RSS",
    },
    # Footer
    "managed_by": {"vi": "Cơ quan quản lý", "en": "Managed by"},
    "address": {"vi": "Địa chỉ", "en": "Address"},
    "phone": {"vi": "Điện thoại", "en": "Phone"},
    "email": {"vi": "Thư điện tử", "en": "Email"},
    "about": {"vi": "Giới thiệu", "en": "About"},
    "rss": {"vi": "RSS", "en": "RSS"},
    "atom": {"vi": "Atom", "en": "Atom"},
    # Home
    "featured": {"vi": "Tin nổi bật", "en": "Top stories"},
    # Article
    "posted_on": {"vi": "Đăng ngày", "en": "Posted on"},
    "updated_on": {"vi": "Cập nhật", "en": "Updated"},
    "views": {"vi": "Lượt xem", "en": "Views"},
    "author": {"vi": "Tác giả", "en": "Author"},
    "font_size": {"vi": "Cỡ chữ", "en": "Text size"},
    "font_smaller": {"vi": "Giảm cỡ chữ", "en": "Decrease text size"},
    "font_larger": {"vi": "Tăng cỡ chữ", "en": "Increase text size"},
    "print": {"vi": "In bài viết", "en": "Print"},
    "tags": {"vi": "Từ khóa", "en": "Tags"},
    "other_posts": {"vi": "Các tin khác", "en": "Other news"},
    # Listings
    "no_posts": {"vi": "Chưa có bài viết nào.", "en": "No posts yet."},
    "pagination": {"vi": "Phân trang", "en": "Pagination"},
    "prev_page": {"vi": "Trang trước", "en": "Previous page"},
    "next_page": {"vi": "Trang sau", "en": "Next page"},
    "page": {"vi": "Trang", "en": "Page"},
    # 404
    "not_found_title": {"vi": "Không tìm thấy trang", "en": "Page not found"},
    "not_found_text": {
        "vi": "Rất tiếc, trang bạn tìm không tồn tại hoặc đã được chuyển "
        "sang địa chỉ khác.",
        "en": "Sorry, the page you are looking for does not exist or has moved.",
    },
    "not_found_hint": {
        "vi": "Bạn có thể quay về trang chủ hoặc xem các tin mới nhất.",
        "en": "You can go back to the home page or read the latest news.",
    },
    "back_home": {"vi": "Về trang chủ", "en": "Back to the home page"},
    # A province and its communes
    "member_news": {"vi": "Tin từ cơ sở", "en": "News from the communes"},
    "all_member_news": {"vi": "Xem tất cả tin từ cơ sở", "en": "All news from the communes"},
    "members": {"vi": "Xã, phường", "en": "Communes and wards"},
    "member_site": {"vi": "Trang thông tin điện tử", "en": "Website"},
    "portal_of": {"vi": "Thành phần của", "en": "Part of"},
}
