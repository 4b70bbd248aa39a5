# The page a voucher opens from their link, and the notice that carries the link.
# A voucher is a trusted member of the network or a partner, not the requester. Nothing
# here may name the service, the case or the person asked about.

vouch-title = คำถามถึงคุณ
vouch-intro = คนที่คุณรู้จักผ่านเครือข่ายของเราอยากถามคำถามด้านล่างนี้กับคุณ ลิงก์นี้ส่งถึงคุณคนเดียวเท่านั้น คำตอบของคุณจะส่งถึงเฉพาะทีมเล็กๆ ที่ดูแลคำขอนี้เท่านั้น
vouch-question-label = คำถาม
vouch-answer-legend = คำตอบของคุณ
vouch-answer-confirm = ใช่ ฉันยืนยัน
vouch-answer-cannot = ฉันยืนยันไม่ได้
vouch-answer-concerned = ฉันมีข้อกังวล
vouch-comment = ความเห็น (ไม่บังคับ)
vouch-comment-hint = มีเพียงทีมเล็กๆ ที่ดูแลคำขอนี้เท่านั้นที่จะอ่าน อย่าเขียนสิ่งที่คุณไม่อยากให้ใครอ่าน หากโทรศัพท์เครื่องนี้ถูกยึด
vouch-submit = ส่งคำตอบของฉัน
vouch-expires = ลิงก์นี้ใช้ได้เพียงครั้งเดียว จนถึง { $expires }
vouch-thanks-title = ขอบคุณ
vouch-thanks = ส่งคำตอบของคุณแล้ว ลิงก์นี้ใช้ไม่ได้อีกต่อไป คุณปิดหน้านี้ได้เลย
vouch-answered = คำถามนี้ได้รับคำตอบผ่านลิงก์นี้ไปแล้ว ลิงก์แต่ละลิงก์ใช้ได้เพียงครั้งเดียว
vouch-closed = คำถามนี้ปิดแล้ว เนื่องจากเลยเวลาแล้ว หรือไม่จำเป็นต้องใช้อีกต่อไป
vouch-unknown = ลิงก์นี้ใช้ไม่ได้ โปรดตรวจดูว่าคุณเปิดลิงก์ครบทั้งหมดแล้ว
vouch-error-answer = โปรดเลือกคำตอบหนึ่งข้อ
vouch-error-comment = ความเห็นยาวเกินไป (ไม่เกิน { $max } ตัวอักษร)
vouch-too-many = มีการลองจากการเชื่อมต่อนี้หลายครั้งเกินไป โปรดรอสองสามนาทีแล้วลองใหม่
vouch-notice-subject = คำถามถึงคุณ
vouch-notice-opening = คนที่คุณรู้จักผ่านเครือข่ายของเรามีคำถามถึงคุณ เปิดลิงก์นี้เพื่ออ่านและตอบ:
vouch-notice-expires = ลิงก์นี้ใช้ได้เพียงครั้งเดียว จนถึง { $expires }
vouch-notice-ignore = หากคุณไม่ได้คาดว่าจะได้รับข้อความนี้ ไม่ต้องสนใจก็ได้
