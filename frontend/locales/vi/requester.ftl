# Shelter — the requester side. Plain words: the reader may be frightened, reading on a
# small phone, in a second language. Never promise what the network cannot do.

## Everywhere
site-name = Shelter
quick-exit = Thoát nhanh
quick-exit-hint = Rời trang này ngay lập tức và kết thúc phiên của bạn.
language-label = Ngôn ngữ
staying-safe-link = Cách giữ an toàn khi dùng trang này
footer-privacy = Những gì bạn viết đều được mã hóa. Chỉ những người xử lý yêu cầu của bạn mới đọc được.
back-to-start = Quay lại trang đầu

## Landing
landing-title = Xin giúp đỡ một cách an toàn
landing-intro = Shelter là nơi tiếp nhận yêu cầu giúp đỡ của một mạng lưới những người bảo vệ nhân quyền về môi trường ở khu vực sông Mê Kông. Nếu bạn hoặc người cùng làm việc với bạn đang bị bắt, bị buộc tội, bị đe dọa, bị theo dõi, bị tấn công trên mạng, hoặc phải gấp rút rời khỏi nhà, bạn có thể xin mạng lưới giúp đỡ tại đây.
landing-start = Gửi yêu cầu giúp đỡ
landing-check = Xem lại yêu cầu bạn đã gửi

## Intake form
intake-title = Xin giúp đỡ
intake-intro = Bạn không cần tài khoản. Chỉ bắt buộc cho biết chuyện gì đã xảy ra và ở nước nào. Các thông tin khác giúp chúng tôi hỗ trợ bạn nhanh hơn.
intake-danger-warning = Đừng viết tên người, địa điểm hay chi tiết nào có thể gây nguy hiểm cho ai đó nếu điện thoại này bị thu giữ. Bạn có thể kể thêm khi hai bên đã thống nhất một cách liên lạc an toàn.
intake-required = bắt buộc
intake-optional = không bắt buộc
field-kind = Chuyện gì đang xảy ra?
kind-arrest = Có người bị bắt hoặc đang bị giam giữ
kind-charges = Bị truy tố hình sự, bị kiện hoặc có vụ việc ở tòa án
kind-threat = Bị đe dọa, bị bám theo hoặc theo dõi, hoặc bị hành hung
kind-digital = Tài khoản, điện thoại hoặc máy tính bị xâm nhập, hoặc bị tấn công mạng kiểu khác
kind-relocation = Tôi cần gấp rút rời khỏi nơi tôi đang sống
kind-medical = Cấp cứu y tế hoặc khủng hoảng sức khỏe tinh thần
kind-not-sure = Không chắc, hoặc chuyện khác
field-when = Chuyện xảy ra khi nào?
field-when-hint = Ví dụ: tối qua, 3 ngày trước, vẫn đang tiếp diễn.
field-country = Quốc gia nơi chuyện đang xảy ra
field-country-choose = Chọn quốc gia
country-other = Quốc gia khác
field-place = Thị trấn hoặc khu vực
field-place-hint = Chỉ ghi nếu nói ra là an toàn.
field-urgency = Việc này gấp đến mức nào?
urgency-immediate = Ngay bây giờ: có người đang bị giam giữ hoặc đang gặp nguy hiểm trước mắt
urgency-days = Trong vài ngày: nguy hiểm đang đến gần
urgency-weeks = Trong vài tuần
urgency-information = Tôi cần lời khuyên hoặc thông tin
field-narrative = Hãy kể lại chuyện đã xảy ra bằng lời của bạn
field-narrative-hint = Chỉ kể những gì bạn có thể nói ra một cách an toàn. Viết bằng ngôn ngữ nào cũng được.
field-at-risk = Ai đang gặp nguy hiểm?
field-at-risk-hint = Ví dụ: tôi, gia đình tôi, đồng nghiệp của tôi. Đừng ghi tên nếu không an toàn.
field-needs = Bạn cần giúp đỡ gì?
need-legal = Luật sư hoặc tư vấn pháp lý
need-money = Tiền cho các chi phí khẩn cấp
need-relocation = Giúp chuyển đến nơi an toàn
need-medical = Chăm sóc y tế hoặc hỗ trợ tâm lý
need-digital = Giúp bảo vệ điện thoại, máy tính hoặc tài khoản
need-other = Việc khác
field-contact = Cách liên lạc an toàn với bạn
field-contact-hint = Ví dụ: một số Signal hoặc một địa chỉ e-mail an toàn để dùng. Để trống nếu bạn muốn tự vào đây kiểm tra.
field-contact-time = Khi nào liên lạc với bạn thì an toàn?
field-no-contact = Đừng liên lạc với tôi. Tôi sẽ tự vào đây kiểm tra bằng mã yêu cầu và mật khẩu của tôi.
submit-request = Gửi yêu cầu của tôi
submit-note = Sau khi gửi, bạn sẽ nhận được một mã yêu cầu và một mật khẩu. Hãy giữ kỹ; đó là cách duy nhất để xem câu trả lời.

## After sending
received-title = Chúng tôi đã nhận được yêu cầu của bạn
received-intro = Một người trong mạng lưới sẽ đọc yêu cầu sớm nhất có thể.
received-reference = Mã yêu cầu của bạn
received-passphrase = Mật khẩu của bạn
received-memorise = Hãy học thuộc mật khẩu hoặc cất nó ở nơi an toàn. Mật khẩu chỉ hiện một lần và không ai có thể lấy lại giúp bạn.
received-do-not-store = Đừng lưu mật khẩu trong ghi chú hay ảnh trên điện thoại nếu điện thoại có thể bị thu giữ.
received-next = Để xem câu trả lời và gửi thêm thông tin, hãy vào trang tình trạng và nhập mã yêu cầu cùng mật khẩu.
received-go-status = Đến trang tình trạng
received-already = Yêu cầu này đã được nhận trước đó. Hãy dùng mã yêu cầu và mật khẩu đã hiện cho bạn lần đầu.

## Status portal
status-title = Kiểm tra yêu cầu của bạn
status-intro = Nhập mã yêu cầu và mật khẩu bạn nhận được khi gửi yêu cầu.
field-reference = Mã yêu cầu
field-passphrase = Mật khẩu
status-sign-in = Mở yêu cầu của tôi
status-wrong = Mã yêu cầu hoặc mật khẩu không đúng.
status-locked = Bạn đã thử quá nhiều lần. Để bảo vệ bạn, việc kiểm tra tạm dừng một lúc. Vui lòng thử lại sau.
status-heading = Tình trạng yêu cầu của bạn
state-received = Đã nhận. Đang chờ được đọc.
state-being-handled = Một người trong mạng lưới đang xử lý yêu cầu của bạn.
state-referred = Với sự đồng ý của bạn, vụ việc của bạn đã được chuyển cho một luật sư.
state-grant-approved = Khoản hỗ trợ tài chính đã được duyệt.
state-paid = Khoản hỗ trợ tài chính đã được chi trả.
state-on-hold = Yêu cầu của bạn đang tạm dừng. Bạn vẫn có thể gửi tin nhắn.
state-closed = Yêu cầu của bạn đã đóng. Bạn có thể gửi tin nhắn nếu cần thêm giúp đỡ.
messages-heading = Tin nhắn
message-from-you = Bạn
message-from-team = Mạng lưới
messages-none = Chưa có tin nhắn nào.
message-label = Viết tin nhắn
message-send = Gửi tin nhắn
message-sent = Tin nhắn của bạn đã được gửi.
add-info-heading = Thêm tài liệu hoặc ảnh
add-info-hint = Ảnh, tài liệu PDF. Mỗi tệp tối đa { $max_mb } MB. Dữ liệu vị trí sẽ được xóa khỏi ảnh.
attachment-label = Tệp
attachment-send = Thêm tệp
attachment-added = Đã thêm tệp.
sign-out = Thoát khỏi yêu cầu
session-ended = Phiên của bạn đã kết thúc. Hãy nhập lại mã yêu cầu và mật khẩu.

## Staying safe
safety-title = Giữ an toàn
safety-tor = Nếu có thể, hãy dùng Tor Browser. Nó giấu việc bạn vào những trang nào khỏi bất kỳ ai đang theo dõi đường truyền của bạn.
safety-history = Khi dùng xong, hãy bấm "Thoát nhanh" hoặc đóng trình duyệt và xóa lịch sử duyệt web.
safety-shared = Trên điện thoại dùng chung hoặc đi mượn, hãy dùng cửa sổ ẩn danh và thoát ra khi dùng xong.
safety-passphrase = Đừng bao giờ gửi mật khẩu của bạn cho bất kỳ ai. Mạng lưới sẽ không bao giờ hỏi bạn mật khẩu.
safety-seized = Nếu điện thoại của bạn có thể bị thu giữ, đừng lưu mã yêu cầu và mật khẩu trong đó.

## Errors
error-narrative-required = Vui lòng kể lại chuyện đã xảy ra.
error-narrative-too-long = Vui lòng rút ngắn phần kể lại, tối đa { $max } ký tự.
error-country-required = Vui lòng chọn quốc gia.
error-country-invalid = Vui lòng chọn một quốc gia trong danh sách.
error-field-too-long = Câu trả lời này quá dài: tối đa { $max } ký tự.
error-invalid-choice = Vui lòng chọn một trong các lựa chọn có sẵn.
error-too-many-files = Mỗi yêu cầu chỉ được thêm tối đa { $max } tệp.
error-file-too-large = Tệp quá lớn: tối đa { $max_mb } MB.
error-file-type = Loại tệp này không được chấp nhận. Vui lòng gửi ảnh (JPEG, PNG, WebP) hoặc tệp PDF.
error-rate-limited = Có quá nhiều lượt gửi từ kết nối này. Vui lòng đợi vài phút rồi thử lại.
error-body-too-large = Nội dung bạn gửi quá lớn.
error-message-empty = Vui lòng viết tin nhắn.
error-form-expired = Biểu mẫu này đã hết hạn. Vui lòng quay lại, tải lại trang và thử lại.
error-generic = Đã xảy ra lỗi. Chưa có gì được lưu. Vui lòng thử lại.

## Referral to a lawyer (consent)
referral-heading = Chia sẻ vụ việc của bạn với luật sư
referral-intro = Nếu bạn đồng ý, mạng lưới sẽ chỉ chia sẻ những gì được liệt kê dưới đây, và chỉ với đối tác này. Không có gì được chia sẻ cho đến khi bạn đồng ý. Bạn có thể đổi ý sau này.
referral-partner = Đối tác
referral-partner-lawyer = luật sư
referral-partner-organisation = tổ chức pháp lý
referral-will-share = Những gì sẽ được chia sẻ
referral-consent = Tôi đồng ý chia sẻ những thông tin này
referral-refuse = Không chia sẻ
referral-withdraw = Ngừng chia sẻ
referral-status-awaiting_consent = Đang chờ câu trả lời của bạn
referral-status-sent = Đã chia sẻ; đang chờ đối tác trả lời
referral-status-accepted = Đối tác đang giúp đỡ vụ việc của bạn
referral-status-declined = Đối tác không thể nhận vụ việc của bạn; mạng lưới sẽ tìm đối tác khác
referral-status-concluded = Đối tác đã hoàn thành công việc của họ
referral-status-withdrawn = Không được chia sẻ
referral-answered = Câu trả lời của bạn đã được ghi nhận.
packet-kind = Chuyện gì đang xảy ra
packet-country = Quốc gia
packet-legal_help = Trợ giúp pháp lý cần có
packet-summary = Tóm tắt do mạng lưới viết
packet-names = Ai đang gặp nguy hiểm
packet-contact = Cách liên lạc với bạn
packet-narrative = Lời kể của chính bạn

## Emergency support (grants)
grant-heading = Hỗ trợ từ mạng lưới
grant-intro = Đây là khoản hỗ trợ mạng lưới quyết định dành cho bạn. Vui lòng báo cho chúng tôi khi bạn nhận được, và sau đó kể ngắn gọn bạn đã dùng nó như thế nào.
grant-amount = Số tiền
grant-status = Tình trạng
grant-category-legal_fees = Phí luật sư
grant-category-bail = Tiền bảo lãnh tại ngoại
grant-category-relocation = Chuyển đến nơi an toàn
grant-category-medical = Chăm sóc y tế
grant-category-security_measures = Biện pháp bảo vệ an toàn
grant-category-subsistence = Chi phí sinh hoạt
grant-category-digital_security = An toàn kỹ thuật số
grant-category-other = Hỗ trợ khác
grant-status-proposed = Đang được xem xét
grant-status-approved = Đã duyệt; đang sắp xếp chuyển tiền
grant-status-provisionally_approved = Đã duyệt; đang sắp xếp chuyển tiền
grant-status-frozen = Tạm dừng trong khi mạng lưới kiểm tra
grant-status-rejected = Không được duyệt
grant-status-disbursed = Đã gửi: vui lòng xác nhận khi bạn nhận được
grant-status-receipt_confirmed = Đã nhận
grant-status-reported = Đã hoàn tất: cảm ơn bạn
grant-status-cancelled = Đã hủy
grant-status-reversed = Đã hủy sau khi chuyển tiền
grant-confirm = Tôi đã nhận được
grant-confirmed-notice = Cảm ơn bạn. Chúng tôi đã ghi nhận là bạn đã nhận được.
grant-report-label = Khoản hỗ trợ đã được dùng như thế nào? Vài câu là đủ. Đừng viết tên người hay địa điểm có thể gây nguy hiểm cho ai đó.
grant-report-send = Gửi báo cáo
grant-reported-notice = Cảm ơn bạn đã gửi báo cáo.
grant-report-due = Hạn gửi báo cáo: { $date }

## Được báo khi có tin mới (không bắt buộc)
news-heading = Báo cho tôi khi có tin mới (không bắt buộc)
news-warning = Chúng tôi chỉ gửi một lời chào ngắn nói rằng có điều mới: không bao giờ có mã tham chiếu, tên của bạn, bất cứ điều gì về yêu cầu của bạn, hay tên của chúng tôi. Nhưng bất kỳ ai xem được điện thoại này, email này hoặc tài khoản nhắn tin này sẽ thấy có tin nhắn đến. Nếu điện thoại của bạn có thể bị thu giữ hoặc kiểm tra, hãy để tắt.
news-channel = Chúng tôi nên báo cho bạn bằng cách nào?
news-channel-none = Đừng báo cho tôi. Tôi sẽ tự kiểm tra ở đây.
news-channel-email = Qua email
news-channel-webhook = Qua ứng dụng nhắn tin (Signal, Telegram hoặc Matrix)
news-address = Địa chỉ email hoặc tên tài khoản nhắn tin
news-address-hint = Ví dụ: name@example.org, hoặc số Signal như +66812345678.
news-on = Khi có tin mới, chúng tôi báo cho bạn qua địa chỉ bạn đã cho.
news-off = Bạn không được báo tin. Bạn có thể kiểm tra ở đây bằng mã tham chiếu và cụm mật khẩu.
news-save = Báo cho tôi khi có tin mới
news-stop = Ngừng báo cho tôi
news-saved = Đã lưu. Chúng tôi sẽ báo cho bạn khi có tin mới.
news-stopped = Bạn sẽ không được báo tin nữa. Địa chỉ đã bị xóa.
error-news-address = Vui lòng viết địa chỉ email như name@example.org.
error-news-handle = Vui lòng viết tên tài khoản hoặc số: chỉ chữ, số và + @ . _ : -.
## Deleting one's own request
deletion-heading = Xóa yêu cầu này
deletion-intro = Bạn có thể đề nghị chúng tôi xóa yêu cầu này và mọi điều bạn đã viết. Yêu cầu sẽ bị xóa { $days } ngày sau khi bạn đề nghị; trước đó bạn có thể đổi ý tại đây.
deletion-button = Xóa yêu cầu của tôi
deletion-scheduled = Yêu cầu này sẽ bị xóa sau ngày { $date }, trừ khi mạng lưới phải giữ lại vì lý do pháp lý.
deletion-cancel = Giữ lại yêu cầu của tôi
deletion-kept-grants = Nếu bạn đã nhận tiền, hồ sơ thanh toán (số tiền và ngày, không có tên hay chi tiết) vẫn được giữ trong sổ sách kế toán.
deletion-requested-notice = Chúng tôi sẽ xóa yêu cầu này sau thời gian chờ.
deletion-cancelled-notice = Yêu cầu của bạn sẽ được giữ lại.

# requester-side (issue 21)
received-reply-hours = Một người trong mạng lưới sẽ đọc yêu cầu của bạn và trả lời trong vòng { $hours } giờ.
received-reply-days = Một người trong mạng lưới sẽ đọc yêu cầu của bạn và trả lời trong vòng { $days } ngày.
received-digits-hint = Cụm từ bí mật này chỉ gồm chữ số. Bạn có thể gõ có hoặc không có dấu cách.
received-meanwhile-heading = Trong khi chờ đợi
received-meanwhile = Ghi lại ở nơi an toàn những gì bạn biết: xảy ra ở đâu, khi nào, có ai ở đó. Chỉ kể với người bạn tin tưởng. Xem tin nhắn ở trang tình trạng. Nếu có người đang gặp nguy hiểm ngay lúc này, hãy liên hệ thêm với luật sư hoặc người bạn tin tưởng ở gần.
intake-error-summary = Vui lòng kiểm tra lại các câu trả lời này
intake-no-contact-note = Nếu bạn không cho cách liên lạc, sẽ không ai liên lạc với bạn: hãy xem trang tình trạng bằng mã yêu cầu và cụm từ bí mật của bạn.
status-lost-heading = Mất cụm từ bí mật?
status-lost-passphrase = Không ai có thể khôi phục nó, kể cả mạng lưới. Nếu bạn làm mất, hãy gửi một yêu cầu mới và ghi rằng bạn đã gửi trước đó và khoảng khi nào; mạng lưới sẽ nối hai yêu cầu lại.
portal-sign-out = Đăng xuất
times-local = Thời gian được hiển thị theo giờ của nước bạn ({ $offset }).
times-in-utc = Thời gian được hiển thị theo UTC.
packet-other-language = Mạng lưới đã viết phần này bằng ngôn ngữ khác. Trước khi đồng ý, bạn có thể nhắn tin đề nghị họ viết bằng ngôn ngữ của bạn.
grant-paid-how = Cách trả
grant-paid-on = Ngày trả
grant-method-bank_transfer = Chuyển khoản ngân hàng
grant-method-mobile_money = Qua ví điện thoại
grant-method-cash_intermediary = Tiền mặt, qua một người đáng tin cậy
grant-method-direct_to_provider = Trả thẳng cho luật sư, phòng khám hoặc dịch vụ, không phải cho bạn
grant-provider-confirm-note = Số tiền này đã được trả cho họ, không phải cho bạn. Chỉ xác nhận khi họ đã báo với bạn là đã nhận được.
grant-confirm-provider = Họ đã báo là đã nhận được
