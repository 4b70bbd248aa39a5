# Notices. Staff notices say only urgency and a sign-in link; the requester's news says only
# that there is something new: no name of the service, nothing about the request.

notice-subject-urgent = Shelter: ด่วน มีเรื่องที่ต้องการคุณ
notice-subject = Shelter: มีเรื่องที่ต้องการคุณ
notice-opening-urgent = มีเรื่องด่วนใน Shelter ที่ต้องการคุณ
notice-opening = มีเรื่องใน Shelter ที่ต้องการคุณ
notice-digest-subject = Shelter: มี { $count } เรื่องที่ต้องการคุณ
notice-digest-opening = มี { $count } เรื่องใน Shelter ที่ต้องการคุณ
notice-sign-in = เข้าสู่ระบบเพื่อดู: { $link }
notice-says-nothing = ข้อความนี้ตั้งใจไม่บอกอะไรมากกว่านี้
news-subject = สวัสดี
news-text = สวัสดี มีสิ่งใหม่สำหรับคุณ
