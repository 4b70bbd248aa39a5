# Notices. Staff notices say only urgency and a sign-in link; the requester's news says only
# that there is something new: no name of the service, nothing about the request.

notice-subject-urgent = Shelter: khẩn, có việc cần bạn
notice-subject = Shelter: có việc cần bạn
notice-opening-urgent = Có một việc khẩn trong Shelter cần bạn.
notice-opening = Có một việc trong Shelter cần bạn.
notice-digest-subject = Shelter: { $count } việc cần bạn
notice-digest-opening = Có { $count } việc trong Shelter cần bạn.
notice-sign-in = Đăng nhập để xem: { $link }
notice-says-nothing = Tin nhắn này cố ý không nói gì thêm.
news-subject = Xin chào
news-text = Xin chào, có điều mới dành cho bạn.
