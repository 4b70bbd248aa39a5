## staff: lo

nav-home = ໜ້າຫຼັກ
nav-account = ບັນຊີ
nav-notices = ການແຈ້ງເຕືອນ
nav-notices-unread = ການແຈ້ງເຕືອນ (ໃໝ່ { $count })
nav-staff-accounts = ບັນຊີພະນັກງານ
nav-audit = ບັນທຶກການກວດສອບ
nav-partners = ຄູ່ຮ່ວມງານ
nav-grants = ເງິນຊ່ວຍເຫຼືອ
nav-funds = ກອງທຶນ
nav-insights = ພາບລວມ
nav-retention = ການເກັບຮັກສາຂໍ້ມູນ
nav-alumni = ຜູ້ເຄີຍໄດ້ຮັບການຊ່ວຍເຫຼືອ
nav-sign-out = ອອກຈາກລະບົບ { $name }
nav-language = ພາສາຂອງໜ້າເຫຼົ່ານີ້
nav-language-change = ປ່ຽນ
nav-on-call = ຜູ້ປະຈຳການຕອນນີ້: { $names }.
nav-nobody-on-call = ຕອນນີ້ບໍ່ມີຜູ້ປະຈຳການ: ກໍລະນີດ່ວນຈະສົ່ງຫາຫົວໜ້າທຸກຄົນ.
