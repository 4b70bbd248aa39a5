## partner: vi

## Partner replies to the network without concluding (pt-).
pt-reply = Trả lời mạng lưới (đề nghị chuyển tiếp giữ nguyên)
