# Shelter — the requester side. Plain words: the reader may be frightened, reading on a
# small phone, in a second language. Never promise what the network cannot do.

## Everywhere
site-name = Shelter
quick-exit = ออกด่วน
quick-exit-hint = ออกจากเว็บไซต์นี้ทันที และจบการใช้งานของคุณ
language-label = ภาษา
staying-safe-link = วิธีรักษาความปลอดภัยขณะใช้เว็บไซต์นี้
footer-privacy = สิ่งที่คุณเขียนจะถูกเข้ารหัส มีเพียงผู้ที่ดูแลคำขอของคุณเท่านั้นที่อ่านได้
back-to-start = กลับไปหน้าแรก

## Landing
landing-title = ขอความช่วยเหลืออย่างปลอดภัย
landing-intro = Shelter คือช่องทางขอความช่วยเหลือของเครือข่ายนักปกป้องสิทธิมนุษยชนด้านสิ่งแวดล้อมในภูมิภาคลุ่มน้ำโขง หากคุณหรือคนที่ทำงานด้วยกันกำลังเจอการจับกุม การถูกดำเนินคดี การข่มขู่ การสอดแนม การโจมตีทางดิจิทัล หรือต้องรีบออกจากบ้าน คุณขอความช่วยเหลือจากเครือข่ายได้ที่นี่
landing-start = เริ่มส่งคำขอ
landing-check = ติดตามคำขอที่คุณส่งไปแล้ว

## Intake form
intake-title = ขอความช่วยเหลือ
intake-intro = คุณไม่ต้องมีบัญชี ข้อมูลที่ต้องกรอกมีเพียงเรื่องที่เกิดขึ้นและประเทศ ข้อมูลอื่นๆ จะช่วยให้เราช่วยคุณได้เร็วขึ้น
intake-danger-warning = อย่าเขียนชื่อ สถานที่ หรือรายละเอียดที่อาจทำให้ใครตกอยู่ในอันตรายหากโทรศัพท์เครื่องนี้ถูกยึด คุณเล่าเพิ่มเติมได้เมื่อเราตกลงช่องทางคุยที่ปลอดภัยกันแล้ว
intake-required = จำเป็น
intake-optional = ไม่บังคับ
field-kind = เกิดอะไรขึ้น?
kind-arrest = มีคนถูกจับกุมหรือถูกควบคุมตัว
kind-charges = ถูกตั้งข้อหาทางอาญา ถูกฟ้องร้อง หรือมีคดีในศาล
kind-threat = ถูกข่มขู่ ถูกสะกดรอยตามหรือถูกจับตา หรือถูกทำร้ายร่างกาย
kind-digital = บัญชี โทรศัพท์ หรือคอมพิวเตอร์ถูกแฮ็ก หรือถูกโจมตีทางดิจิทัลแบบอื่น
kind-relocation = ฉันต้องรีบออกจากที่ที่ฉันอาศัยอยู่
kind-medical = เหตุฉุกเฉินด้านการแพทย์หรือสุขภาพจิต
kind-not-sure = ไม่แน่ใจ หรือเรื่องอื่น
field-when = เกิดขึ้นเมื่อไร?
field-when-hint = เช่น เมื่อคืนนี้, 3 วันก่อน, ยังเกิดขึ้นอยู่
field-country = ประเทศที่เกิดเหตุ
field-country-choose = เลือกประเทศ
country-other = ประเทศอื่น
field-place = เมืองหรือพื้นที่
field-place-hint = ใส่เฉพาะเมื่อบอกได้อย่างปลอดภัย
field-urgency = เรื่องนี้เร่งด่วนแค่ไหน?
urgency-immediate = ตอนนี้เลย: มีคนถูกควบคุมตัว หรือกำลังตกอยู่ในอันตราย
urgency-days = ภายในไม่กี่วัน: อันตรายใกล้เข้ามา
urgency-weeks = ภายในไม่กี่สัปดาห์
urgency-information = ฉันต้องการคำแนะนำหรือข้อมูล
field-narrative = เล่าเรื่องที่เกิดขึ้นด้วยคำพูดของคุณเอง
field-narrative-hint = เล่าเท่าที่คุณเล่าได้อย่างปลอดภัย เขียนภาษาอะไรก็ได้
field-at-risk = ใครกำลังตกอยู่ในความเสี่ยง?
field-at-risk-hint = เช่น ตัวฉัน ครอบครัวของฉัน เพื่อนร่วมงานของฉัน ไม่ต้องใส่ชื่อหากไม่ปลอดภัย
field-needs = คุณต้องการความช่วยเหลือแบบไหน?
need-legal = ทนายความหรือคำปรึกษาทางกฎหมาย
need-money = เงินสำหรับค่าใช้จ่ายเร่งด่วน
need-relocation = ช่วยย้ายไปอยู่ที่ปลอดภัย
need-medical = การดูแลด้านการแพทย์หรือด้านจิตใจ
need-digital = ช่วยดูแลความปลอดภัยของโทรศัพท์ คอมพิวเตอร์ หรือบัญชี
need-other = เรื่องอื่น
field-contact = ช่องทางติดต่อคุณที่ปลอดภัย
field-contact-hint = เช่น หมายเลข Signal หรืออีเมลที่ใช้ได้อย่างปลอดภัย เว้นว่างไว้ได้หากคุณอยากเข้ามาดูที่นี่เอง
field-contact-time = ติดต่อคุณช่วงไหนจึงจะปลอดภัย?
field-no-contact = ไม่ต้องติดต่อฉัน ฉันจะเข้ามาดูที่นี่เองด้วยรหัสอ้างอิงและรหัสผ่านของฉัน
submit-request = ส่งคำขอของฉัน
submit-note = หลังส่งแล้ว คุณจะได้รับรหัสอ้างอิงและรหัสผ่าน เก็บไว้ให้ดี เพราะเป็นทางเดียวที่จะดูคำตอบได้

## After sending
received-title = เราได้รับคำขอของคุณแล้ว
received-intro = คนในเครือข่ายจะอ่านคำขอของคุณโดยเร็วที่สุด
received-reference = รหัสอ้างอิงของคุณ
received-passphrase = รหัสผ่านของคุณ
received-memorise = จำรหัสผ่านให้ขึ้นใจ หรือเก็บไว้ในที่ปลอดภัย รหัสนี้จะแสดงเพียงครั้งเดียว และไม่มีใครกู้คืนให้คุณได้
received-do-not-store = อย่าเก็บรหัสผ่านไว้ในโน้ตหรือรูปภาพในโทรศัพท์ หากโทรศัพท์อาจถูกยึด
received-next = หากต้องการดูคำตอบและส่งข้อมูลเพิ่ม ให้ไปที่หน้าสถานะ แล้วใส่รหัสอ้างอิงและรหัสผ่านของคุณ
received-go-status = ไปที่หน้าสถานะ
received-already = เราได้รับคำขอนี้ไปแล้ว โปรดใช้รหัสอ้างอิงและรหัสผ่านที่แสดงให้คุณเห็นในครั้งแรก

## Status portal
status-title = ตรวจสอบคำขอของคุณ
status-intro = ใส่รหัสอ้างอิงและรหัสผ่านที่คุณได้รับตอนส่งคำขอ
field-reference = รหัสอ้างอิง
field-passphrase = รหัสผ่าน
status-sign-in = เปิดคำขอของฉัน
status-wrong = รหัสอ้างอิงหรือรหัสผ่านไม่ถูกต้อง
status-locked = ลองหลายครั้งเกินไป เพื่อความปลอดภัยของคุณ จึงพักการตรวจสอบไว้ชั่วคราว โปรดลองใหม่ภายหลัง
status-heading = สถานะคำขอของคุณ
state-received = ได้รับแล้ว กำลังรอให้คนในเครือข่ายอ่าน
state-being-handled = คนในเครือข่ายกำลังดูแลคำขอของคุณ
state-referred = เรื่องของคุณถูกส่งต่อให้ทนายความแล้ว ตามที่คุณยินยอม
state-grant-approved = อนุมัติเงินช่วยเหลือแล้ว
state-paid = จ่ายเงินช่วยเหลือแล้ว
state-on-hold = คำขอของคุณถูกพักไว้ก่อน คุณยังส่งข้อความได้
state-closed = คำขอของคุณปิดแล้ว หากต้องการความช่วยเหลือเพิ่ม คุณส่งข้อความได้
messages-heading = ข้อความ
message-from-you = คุณ
message-from-team = เครือข่าย
messages-none = ยังไม่มีข้อความ
message-label = เขียนข้อความ
message-send = ส่งข้อความ
message-sent = ส่งข้อความของคุณแล้ว
add-info-heading = เพิ่มเอกสารหรือรูปภาพ
add-info-hint = รูปภาพ เอกสาร PDF ไฟล์ละไม่เกิน { $max_mb } MB ข้อมูลตำแหน่งจะถูกลบออกจากรูปภาพ
attachment-label = ไฟล์
attachment-send = เพิ่มไฟล์
attachment-added = เพิ่มไฟล์แล้ว
sign-out = ออกจากคำขอของฉัน
session-ended = การใช้งานของคุณสิ้นสุดแล้ว โปรดใส่รหัสอ้างอิงและรหัสผ่านอีกครั้ง

## Staying safe
safety-title = รักษาความปลอดภัย
safety-tor = ถ้าทำได้ ให้ใช้ Tor Browser ซึ่งจะซ่อนว่าคุณเข้าเว็บไซต์ไหนบ้างจากคนที่เฝ้าดูการเชื่อมต่อของคุณ
safety-history = เมื่อใช้เสร็จ ให้กด "ออกด่วน" หรือปิดเบราว์เซอร์แล้วล้างประวัติการเข้าชม
safety-shared = หากใช้โทรศัพท์ร่วมกับคนอื่นหรือยืมมา ให้ใช้หน้าต่างส่วนตัว และออกจากระบบเมื่อใช้เสร็จ
safety-passphrase = อย่าส่งรหัสผ่านให้ใครเด็ดขาด เครือข่ายจะไม่มีวันขอรหัสผ่านจากคุณ
safety-seized = หากโทรศัพท์ของคุณอาจถูกยึด อย่าเก็บรหัสอ้างอิงและรหัสผ่านไว้ในเครื่อง

## Errors
error-narrative-required = โปรดเล่าว่าเกิดอะไรขึ้น
error-narrative-too-long = โปรดเขียนให้สั้นลง ไม่เกิน { $max } ตัวอักษร
error-country-required = โปรดเลือกประเทศ
error-country-invalid = โปรดเลือกประเทศจากรายการ
error-field-too-long = คำตอบนี้ยาวเกินไป: ไม่เกิน { $max } ตัวอักษร
error-invalid-choice = โปรดเลือกหนึ่งในตัวเลือกที่มีให้
error-too-many-files = เพิ่มไฟล์ได้ไม่เกิน { $max } ไฟล์ต่อหนึ่งคำขอ
error-file-too-large = ไฟล์ใหญ่เกินไป: ไม่เกิน { $max_mb } MB
error-file-type = ไม่รับไฟล์ประเภทนี้ โปรดส่งรูปภาพ (JPEG, PNG, WebP) หรือ PDF
error-rate-limited = มีการส่งข้อมูลจากการเชื่อมต่อนี้มากเกินไป โปรดรอสองสามนาทีแล้วลองใหม่
error-body-too-large = สิ่งที่คุณส่งมีขนาดใหญ่เกินไป
error-message-empty = โปรดเขียนข้อความ
error-form-expired = แบบฟอร์มนี้หมดอายุแล้ว โปรดย้อนกลับ โหลดหน้าใหม่ แล้วลองอีกครั้ง
error-generic = เกิดข้อผิดพลาด ไม่มีข้อมูลใดถูกบันทึก โปรดลองอีกครั้ง

## Referral to a lawyer (consent)
referral-heading = ส่งต่อเรื่องของคุณให้ทนายความ
referral-intro = หากคุณยินยอม เครือข่ายจะส่งต่อเฉพาะข้อมูลที่ระบุไว้ด้านล่าง และส่งให้ภาคีรายนี้เท่านั้น จะไม่มีการส่งข้อมูลใดๆ จนกว่าคุณจะยินยอม และคุณเปลี่ยนใจภายหลังได้
referral-partner = ภาคีเครือข่าย
referral-partner-lawyer = ทนายความ
referral-partner-organisation = องค์กรด้านกฎหมาย
referral-will-share = ข้อมูลที่จะส่งต่อ
referral-consent = ฉันยินยอมให้ส่งต่อข้อมูลนี้
referral-refuse = ไม่ยินยอมให้ส่งต่อ
referral-withdraw = หยุดการส่งต่อ
referral-status-awaiting_consent = กำลังรอคำตอบจากคุณ
referral-status-sent = ส่งต่อแล้ว กำลังรอคำตอบจากภาคี
referral-status-accepted = ภาคีกำลังช่วยเหลือเรื่องของคุณ
referral-status-declined = ภาคีรับเรื่องของคุณไม่ได้ เครือข่ายจะหาภาคีรายอื่น
referral-status-concluded = ภาคีทำงานในส่วนของตนเสร็จแล้ว
referral-status-withdrawn = ไม่ได้ส่งต่อ
referral-answered = บันทึกคำตอบของคุณแล้ว
packet-kind = สิ่งที่เกิดขึ้น
packet-country = ประเทศ
packet-legal_help = ความช่วยเหลือทางกฎหมายที่ต้องการ
packet-summary = สรุปเรื่องที่เครือข่ายเขียน
packet-names = ใครกำลังตกอยู่ในความเสี่ยง
packet-contact = ช่องทางติดต่อคุณ
packet-narrative = คำบอกเล่าของคุณเอง

## Emergency support (grants)
grant-heading = ความช่วยเหลือจากเครือข่าย
grant-intro = นี่คือความช่วยเหลือที่เครือข่ายตัดสินใจให้คุณ โปรดแจ้งเราเมื่อคุณได้รับแล้ว และหลังจากนั้นโปรดเล่าสั้นๆ ว่าใช้ไปอย่างไร
grant-amount = จำนวนเงิน
grant-status = สถานะ
grant-category-legal_fees = ค่าทนายความ
grant-category-bail = เงินประกันตัว
grant-category-relocation = ย้ายไปอยู่ที่ปลอดภัย
grant-category-medical = การรักษาพยาบาล
grant-category-security_measures = มาตรการรักษาความปลอดภัย
grant-category-subsistence = ค่าครองชีพ
grant-category-digital_security = ความปลอดภัยทางดิจิทัล
grant-category-other = ความช่วยเหลืออื่นๆ
grant-status-proposed = กำลังพิจารณา
grant-status-approved = อนุมัติแล้ว กำลังเตรียมการจ่ายเงิน
grant-status-provisionally_approved = อนุมัติแล้ว กำลังเตรียมการจ่ายเงิน
grant-status-frozen = พักไว้ก่อน ระหว่างที่เครือข่ายตรวจสอบ
grant-status-rejected = ไม่ได้รับการอนุมัติ
grant-status-disbursed = ส่งแล้ว โปรดยืนยันเมื่อคุณได้รับ
grant-status-receipt_confirmed = ได้รับแล้ว
grant-status-reported = เสร็จสิ้นแล้ว ขอบคุณ
grant-status-cancelled = ยกเลิกแล้ว
grant-status-reversed = ยกเลิกหลังจากจ่ายเงินไปแล้ว
grant-confirm = ฉันได้รับแล้ว
grant-confirmed-notice = ขอบคุณ เราบันทึกไว้แล้วว่าคุณได้รับแล้ว
grant-report-label = คุณใช้ความช่วยเหลือนี้ไปอย่างไร เขียนไม่กี่ประโยคก็พอ อย่าเขียนชื่อหรือสถานที่ที่อาจทำให้ใครตกอยู่ในอันตราย
grant-report-send = ส่งรายงาน
grant-reported-notice = ขอบคุณสำหรับรายงานของคุณ
grant-report-due = ส่งรายงานภายในวันที่ { $date }

## การแจ้งเมื่อมีความคืบหน้า (ไม่บังคับ)
news-heading = ให้แจ้งเมื่อมีความคืบหน้า (ไม่บังคับ)
news-warning = เราจะส่งเพียงคำทักทายสั้น ๆ ว่ามีสิ่งใหม่ ไม่มีเลขอ้างอิง ชื่อของคุณ เรื่องใด ๆ เกี่ยวกับคำขอของคุณ หรือชื่อของเรา แต่ใครก็ตามที่เห็นโทรศัพท์เครื่องนี้ อีเมลนี้ หรือบัญชีแชตนี้ จะเห็นว่ามีข้อความเข้ามา หากโทรศัพท์ของคุณอาจถูกยึดหรือถูกตรวจ โปรดปิดไว้
news-channel = ให้เราแจ้งคุณอย่างไร
news-channel-none = ไม่ต้องแจ้ง ฉันจะเข้ามาดูเอง
news-channel-email = ทางอีเมล
news-channel-webhook = ทางแอปแชต (Signal, Telegram หรือ Matrix)
news-address = อีเมลหรือชื่อผู้ใช้ในแอปแชต
news-address-hint = ตัวอย่าง: name@example.org หรือเบอร์ Signal เช่น +66812345678
news-on = เมื่อมีความคืบหน้า เราจะแจ้งไปยังที่อยู่ที่คุณให้ไว้
news-off = คุณจะไม่ได้รับการแจ้ง คุณเข้ามาดูได้ที่นี่ด้วยเลขอ้างอิงและรหัสผ่าน
news-save = แจ้งฉันเมื่อมีความคืบหน้า
news-stop = หยุดแจ้ง
news-saved = บันทึกแล้ว เราจะแจ้งเมื่อมีความคืบหน้า
news-stopped = คุณจะไม่ได้รับการแจ้งอีก ที่อยู่ถูกลบแล้ว
error-news-address = โปรดเขียนอีเมล เช่น name@example.org
error-news-handle = โปรดเขียนชื่อผู้ใช้หรือเบอร์: ตัวอักษร ตัวเลข และ + @ . _ : - เท่านั้น
## Deleting one's own request
deletion-heading = ลบคำขอนี้
deletion-intro = คุณขอให้เราลบคำขอนี้และทุกสิ่งที่คุณเขียนได้ เราจะลบเมื่อครบ { $days } วันหลังจากที่คุณขอ ระหว่างนั้นคุณเปลี่ยนใจได้ที่หน้านี้
deletion-button = ลบคำขอของฉัน
deletion-scheduled = คำขอนี้จะถูกลบหลังวันที่ { $date } เว้นแต่เครือข่ายจำเป็นต้องเก็บไว้ด้วยเหตุผลทางกฎหมาย
deletion-cancel = เก็บคำขอของฉันไว้
deletion-kept-grants = หากคุณได้รับเงิน บันทึกการจ่ายเงิน (จำนวนและวันที่ ไม่มีชื่อหรือรายละเอียด) จะยังอยู่ในบัญชี
deletion-requested-notice = เราจะลบคำขอนี้เมื่อพ้นระยะรอ
deletion-cancelled-notice = คำขอของคุณจะถูกเก็บไว้

# requester-side (issue 21)
received-reply-hours = จะมีคนจากเครือข่ายอ่านคำขอของคุณและตอบภายใน { $hours } ชั่วโมง
received-reply-days = จะมีคนจากเครือข่ายอ่านคำขอของคุณและตอบภายใน { $days } วัน
received-digits-hint = วลีลับนี้เป็นตัวเลขทั้งหมด พิมพ์โดยเว้นวรรคหรือไม่ก็ได้ ใช้เลขไทย (๐–๙) หรือ 0–9 ก็ได้
received-meanwhile-heading = ระหว่างรอ
received-meanwhile = จดสิ่งที่คุณรู้ไว้ในที่ปลอดภัย: เกิดที่ไหน เมื่อไร ใครอยู่ที่นั่น บอกเฉพาะคนที่คุณไว้ใจ ตรวจดูข้อความในหน้าสถานะ ถ้ามีคนตกอยู่ในอันตรายตอนนี้ ให้ติดต่อทนายความหรือคนที่คุณไว้ใจที่อยู่ใกล้ด้วย
intake-error-summary = โปรดตรวจสอบคำตอบเหล่านี้
intake-no-contact-note = ถ้าคุณไม่ให้ช่องทางติดต่อ จะไม่มีใครติดต่อคุณ ให้ตรวจดูหน้าสถานะด้วยรหัสอ้างอิงและวลีลับของคุณ
status-lost-heading = ทำวลีลับหาย?
status-lost-passphrase = ไม่มีใครกู้คืนได้ แม้แต่เครือข่าย ถ้าทำหาย ให้ส่งคำขอใหม่และบอกในคำขอว่าเคยส่งมาก่อนและประมาณเมื่อไร เครือข่ายจะเชื่อมโยงทั้งสองเรื่องให้
portal-sign-out = ออกจากระบบ
times-local = เวลาแสดงตามเวลาของประเทศคุณ ({ $offset })
times-in-utc = เวลาแสดงเป็น UTC
packet-other-language = เครือข่ายเขียนส่วนนี้เป็นภาษาอื่น ก่อนตกลง คุณส่งข้อความขอให้เขียนเป็นภาษาของคุณได้
grant-paid-how = วิธีจ่าย
grant-paid-on = วันที่จ่าย
grant-method-bank_transfer = โอนผ่านธนาคาร
grant-method-mobile_money = ผ่านกระเป๋าเงินมือถือ
grant-method-cash_intermediary = เงินสด ผ่านคนที่ไว้ใจได้
grant-method-direct_to_provider = จ่ายตรงให้ทนายความ คลินิก หรือผู้ให้บริการ ไม่ได้จ่ายให้คุณ
grant-provider-confirm-note = เงินนี้จ่ายให้พวกเขา ไม่ได้จ่ายให้คุณ ยืนยันเมื่อพวกเขาบอกคุณแล้วว่าได้รับเงินเท่านั้น
grant-confirm-provider = พวกเขาบอกแล้วว่าได้รับ
