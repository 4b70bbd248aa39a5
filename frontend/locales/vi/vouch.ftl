# The page a voucher opens from their link, and the notice that carries the link.
# A voucher is a trusted member of the network or a partner, not the requester. Nothing
# here may name the service, the case or the person asked about.

vouch-title = Một câu hỏi dành cho bạn
vouch-intro = Một người mà bạn quen biết qua nhóm hỗ trợ của chúng tôi muốn hỏi bạn câu hỏi dưới đây. Chỉ mình bạn nhận được đường liên kết này. Câu trả lời của bạn chỉ đến với nhóm nhỏ phụ trách yêu cầu này.
vouch-question-label = Câu hỏi
vouch-answer-legend = Câu trả lời của bạn
vouch-answer-confirm = Có, tôi xác nhận
vouch-answer-cannot = Tôi không thể xác nhận
vouch-answer-concerned = Tôi có điều lo ngại
vouch-comment = Ý kiến thêm (không bắt buộc)
vouch-comment-hint = Chỉ nhóm nhỏ phụ trách yêu cầu này mới đọc được. Đừng viết điều gì mà bạn không muốn người khác đọc nếu điện thoại này bị thu giữ.
vouch-submit = Gửi câu trả lời của tôi
vouch-expires = Đường liên kết này chỉ dùng được một lần, cho đến { $expires }.
vouch-thanks-title = Cảm ơn bạn
vouch-thanks = Câu trả lời của bạn đã được gửi. Đường liên kết này không còn dùng được nữa. Bạn có thể đóng trang này.
vouch-answered = Câu hỏi này đã được trả lời qua đường liên kết này rồi. Mỗi đường liên kết chỉ dùng được một lần.
vouch-closed = Câu hỏi này đã đóng: đã quá thời hạn, hoặc không còn cần thiết nữa.
vouch-unknown = Đường liên kết này không dùng được. Hãy kiểm tra xem bạn đã mở đầy đủ cả đường liên kết chưa.
vouch-error-answer = Vui lòng chọn một câu trả lời.
vouch-error-comment = Phần ý kiến quá dài (tối đa { $max } ký tự).
vouch-too-many = Có quá nhiều lượt thử từ kết nối này. Vui lòng đợi vài phút rồi thử lại.
vouch-notice-subject = Một câu hỏi dành cho bạn
vouch-notice-opening = Một người mà bạn quen biết qua nhóm hỗ trợ của chúng tôi muốn hỏi bạn một câu. Hãy mở đường liên kết này để đọc và trả lời:
vouch-notice-expires = Đường liên kết chỉ dùng được một lần, cho đến { $expires }.
vouch-notice-ignore = Nếu bạn không mong đợi tin nhắn này, bạn có thể bỏ qua.
