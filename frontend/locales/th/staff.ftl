## staff: th

nav-home = หน้าหลัก
nav-account = บัญชี
nav-notices = การแจ้งเตือน
nav-notices-unread = การแจ้งเตือน (ใหม่ { $count })
nav-staff-accounts = บัญชีเจ้าหน้าที่
nav-audit = บันทึกการตรวจสอบ
nav-partners = องค์กรภาคี
nav-grants = เงินช่วยเหลือ
nav-funds = กองทุน
nav-insights = ภาพรวม
nav-retention = การเก็บรักษาข้อมูล
nav-alumni = ผู้เคยได้รับความช่วยเหลือ
nav-sign-out = ออกจากระบบ { $name }
nav-language = ภาษาของหน้าเหล่านี้
nav-language-change = เปลี่ยน
nav-on-call = ผู้รับเวรตอนนี้: { $names }
nav-nobody-on-call = ตอนนี้ไม่มีผู้รับเวร: กรณีเร่งด่วนจะส่งถึงหัวหน้างานทุกคน
