## staff: vi

nav-home = Trang chính
nav-account = Tài khoản
nav-notices = Thông báo
nav-notices-unread = Thông báo ({ $count } mới)
nav-staff-accounts = Tài khoản nhân viên
nav-audit = Nhật ký kiểm toán
nav-partners = Đối tác
nav-grants = Khoản hỗ trợ
nav-funds = Quỹ
nav-insights = Tổng quan
nav-retention = Lưu giữ dữ liệu
nav-alumni = Người từng được hỗ trợ
nav-sign-out = Đăng xuất { $name }
nav-language = Ngôn ngữ của các trang này
nav-language-change = Đổi
nav-on-call = Đang trực: { $names }.
nav-nobody-on-call = Hiện không ai trực: các vụ khẩn cấp được gửi đến mọi giám sát viên.
