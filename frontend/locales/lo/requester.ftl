# Shelter — the requester side. Plain words: the reader may be frightened, reading on a
# small phone, in a second language. Never promise what the network cannot do.

## Everywhere
site-name = Shelter
quick-exit = ອອກດ່ວນ
quick-exit-hint = ອອກຈາກເວັບໄຊນີ້ທັນທີ ແລະ ສິ້ນສຸດການນຳໃຊ້ຂອງທ່ານ.
language-label = ພາສາ
staying-safe-link = ວິທີຮັກສາຄວາມປອດໄພ ເວລາໃຊ້ເວັບໄຊນີ້
footer-privacy = ສິ່ງທີ່ທ່ານຂຽນຖືກເຂົ້າລະຫັດໄວ້. ມີແຕ່ຜູ້ທີ່ດູແລຄຳຮ້ອງຂອງທ່ານເທົ່ານັ້ນທີ່ອ່ານໄດ້.
back-to-start = ກັບໄປໜ້າທຳອິດ

## Landing
landing-title = ຂໍຄວາມຊ່ວຍເຫຼືອຢ່າງປອດໄພ
landing-intro = Shelter ແມ່ນຊ່ອງທາງຂໍຄວາມຊ່ວຍເຫຼືອຂອງເຄືອຂ່າຍນັກປົກປ້ອງສິດທິມະນຸດດ້ານສິ່ງແວດລ້ອມ ໃນພາກພື້ນແມ່ນ້ຳຂອງ. ຖ້າທ່ານ ຫຼື ຄົນທີ່ເຮັດວຽກນຳທ່ານ ກຳລັງປະເຊີນກັບການຈັບກຸມ, ການກ່າວຫາ, ການຂົ່ມຂູ່, ການສອດແນມ, ການໂຈມຕີທາງດິຈິຕອນ, ຫຼື ຕ້ອງອອກຈາກເຮືອນຢ່າງຮີບດ່ວນ, ທ່ານສາມາດຂໍຄວາມຊ່ວຍເຫຼືອຈາກເຄືອຂ່າຍໄດ້ທີ່ນີ້.
landing-start = ເລີ່ມຍື່ນຄຳຮ້ອງ
landing-check = ກວດເບິ່ງຄຳຮ້ອງທີ່ທ່ານສົ່ງໄປແລ້ວ

## Intake form
intake-title = ຂໍຄວາມຊ່ວຍເຫຼືອ
intake-intro = ທ່ານບໍ່ຈຳເປັນຕ້ອງມີບັນຊີ. ມີແຕ່ເລື່ອງທີ່ເກີດຂຶ້ນ ແລະ ປະເທດ ທີ່ຕ້ອງໃສ່. ຂໍ້ມູນອື່ນໆຈະຊ່ວຍໃຫ້ພວກເຮົາຊ່ວຍທ່ານໄດ້ໄວຂຶ້ນ.
intake-danger-warning = ຢ່າຂຽນຊື່, ສະຖານທີ່ ຫຼື ລາຍລະອຽດທີ່ອາດເຮັດໃຫ້ຜູ້ໃດຜູ້ໜຶ່ງຕົກຢູ່ໃນອັນຕະລາຍ ຖ້າໂທລະສັບເຄື່ອງນີ້ຖືກຍຶດ. ທ່ານສາມາດເລົ່າເພີ່ມເຕີມໄດ້ ເມື່ອພວກເຮົາຕົກລົງກັນເລື່ອງຊ່ອງທາງລົມກັນທີ່ປອດໄພແລ້ວ.
intake-required = ຈຳເປັນ
intake-optional = ບໍ່ບັງຄັບ
field-kind = ເກີດຫຍັງຂຶ້ນ?
kind-arrest = ມີຄົນຖືກຈັບ ຫຼື ກຳລັງຖືກກັກຂັງ
kind-charges = ຖືກກ່າວຫາທາງອາຍາ, ຖືກຟ້ອງຮ້ອງ ຫຼື ມີຄະດີຢູ່ສານ
kind-threat = ຖືກຂົ່ມຂູ່, ຖືກຕິດຕາມ ຫຼື ເຝົ້າເບິ່ງ, ຫຼື ຖືກທຳຮ້າຍຮ່າງກາຍ
kind-digital = ບັນຊີ, ໂທລະສັບ ຫຼື ຄອມພິວເຕີຖືກແຮັກ, ຫຼື ຖືກໂຈມຕີທາງດິຈິຕອນແບບອື່ນ
kind-relocation = ຂ້ອຍຕ້ອງອອກຈາກບ່ອນທີ່ຂ້ອຍຢູ່ຢ່າງຮີບດ່ວນ
kind-medical = ເຫດສຸກເສີນດ້ານການແພດ ຫຼື ສຸຂະພາບຈິດ
kind-not-sure = ບໍ່ແນ່ໃຈ, ຫຼື ເລື່ອງອື່ນ
field-when = ເກີດຂຶ້ນເມື່ອໃດ?
field-when-hint = ຕົວຢ່າງ: ຄືນວານນີ້, 3 ມື້ກ່ອນ, ຍັງເກີດຂຶ້ນຢູ່.
field-country = ປະເທດທີ່ເກີດເຫດ
field-country-choose = ເລືອກປະເທດ
country-other = ປະເທດອື່ນ
field-place = ເມືອງ ຫຼື ເຂດ
field-place-hint = ໃສ່ສະເພາະເມື່ອບອກໄດ້ຢ່າງປອດໄພ.
field-urgency = ເລື່ອງນີ້ຮີບດ່ວນປານໃດ?
urgency-immediate = ດຽວນີ້: ມີຄົນຖືກກັກຂັງ ຫຼື ກຳລັງຕົກຢູ່ໃນອັນຕະລາຍ
urgency-days = ພາຍໃນບໍ່ເທົ່າໃດມື້: ອັນຕະລາຍໃກ້ເຂົ້າມາແລ້ວ
urgency-weeks = ພາຍໃນບໍ່ເທົ່າໃດອາທິດ
urgency-information = ຂ້ອຍຕ້ອງການຄຳແນະນຳ ຫຼື ຂໍ້ມູນ
field-narrative = ເລົ່າເລື່ອງທີ່ເກີດຂຶ້ນ ດ້ວຍຄຳເວົ້າຂອງທ່ານເອງ
field-narrative-hint = ເລົ່າເທົ່າທີ່ທ່ານເລົ່າໄດ້ຢ່າງປອດໄພ. ຂຽນເປັນພາສາໃດກໍໄດ້.
field-at-risk = ໃຜກຳລັງຕົກຢູ່ໃນຄວາມສ່ຽງ?
field-at-risk-hint = ຕົວຢ່າງ: ຂ້ອຍ, ຄອບຄົວຂອງຂ້ອຍ, ເພື່ອນຮ່ວມງານຂອງຂ້ອຍ. ຢ່າໃສ່ຊື່ ຖ້າບໍ່ປອດໄພ.
field-needs = ທ່ານຕ້ອງການຄວາມຊ່ວຍເຫຼືອແບບໃດ?
need-legal = ທະນາຍຄວາມ ຫຼື ຄຳປຶກສາດ້ານກົດໝາຍ
need-money = ເງິນສຳລັບຄ່າໃຊ້ຈ່າຍຮີບດ່ວນ
need-relocation = ຊ່ວຍຍ້າຍໄປຢູ່ບ່ອນທີ່ປອດໄພ
need-medical = ການດູແລດ້ານການແພດ ຫຼື ດ້ານຈິດໃຈ
need-digital = ຊ່ວຍຮັກສາຄວາມປອດໄພຂອງໂທລະສັບ, ຄອມພິວເຕີ ຫຼື ບັນຊີ
need-other = ເລື່ອງອື່ນ
field-contact = ຊ່ອງທາງຕິດຕໍ່ທ່ານທີ່ປອດໄພ
field-contact-hint = ຕົວຢ່າງ: ເບີ Signal ຫຼື ອີເມວທີ່ໃຊ້ໄດ້ຢ່າງປອດໄພ. ປ່ອຍຫວ່າງໄວ້ໄດ້ ຖ້າທ່ານຢາກເຂົ້າມາກວດເບິ່ງຢູ່ນີ້ເອງ.
field-contact-time = ຕິດຕໍ່ທ່ານເວລາໃດຈຶ່ງປອດໄພ?
field-no-contact = ບໍ່ຕ້ອງຕິດຕໍ່ຂ້ອຍ. ຂ້ອຍຈະເຂົ້າມາກວດເບິ່ງຢູ່ນີ້ເອງ ດ້ວຍລະຫັດອ້າງອີງ ແລະ ລະຫັດຜ່ານຂອງຂ້ອຍ.
submit-request = ສົ່ງຄຳຮ້ອງຂອງຂ້ອຍ
submit-note = ຫຼັງຈາກສົ່ງແລ້ວ ທ່ານຈະໄດ້ຮັບລະຫັດອ້າງອີງ ແລະ ລະຫັດຜ່ານ. ກະລຸນາເກັບໄວ້ໃຫ້ດີ; ມັນເປັນທາງດຽວທີ່ຈະເບິ່ງຄຳຕອບໄດ້.

## After sending
received-title = ພວກເຮົາໄດ້ຮັບຄຳຮ້ອງຂອງທ່ານແລ້ວ
received-intro = ຄົນໃນເຄືອຂ່າຍຈະອ່ານຄຳຮ້ອງຂອງທ່ານໄວທີ່ສຸດເທົ່າທີ່ຈະເຮັດໄດ້.
received-reference = ລະຫັດອ້າງອີງຂອງທ່ານ
received-passphrase = ລະຫັດຜ່ານຂອງທ່ານ
received-memorise = ຈົ່ງຈື່ລະຫັດຜ່ານໃຫ້ຂຶ້ນໃຈ ຫຼື ເກັບໄວ້ໃນບ່ອນທີ່ປອດໄພ. ມັນຈະສະແດງພຽງຄັ້ງດຽວ ແລະ ບໍ່ມີໃຜສາມາດກູ້ຄືນໃຫ້ທ່ານໄດ້.
received-do-not-store = ຢ່າເກັບລະຫັດຜ່ານໄວ້ໃນບັນທຶກ ຫຼື ຮູບພາບໃນໂທລະສັບ ຖ້າໂທລະສັບອາດຖືກຍຶດ.
received-next = ເພື່ອເບິ່ງຄຳຕອບ ແລະ ສົ່ງຂໍ້ມູນເພີ່ມເຕີມ, ໃຫ້ໄປທີ່ໜ້າສະຖານະ ແລ້ວໃສ່ລະຫັດອ້າງອີງ ແລະ ລະຫັດຜ່ານຂອງທ່ານ.
received-go-status = ໄປທີ່ໜ້າສະຖານະ
received-already = ພວກເຮົາໄດ້ຮັບຄຳຮ້ອງນີ້ແລ້ວ. ກະລຸນາໃຊ້ລະຫັດອ້າງອີງ ແລະ ລະຫັດຜ່ານທີ່ສະແດງໃຫ້ທ່ານເຫັນໃນຄັ້ງທຳອິດ.

## Status portal
status-title = ກວດເບິ່ງຄຳຮ້ອງຂອງທ່ານ
status-intro = ໃສ່ລະຫັດອ້າງອີງ ແລະ ລະຫັດຜ່ານທີ່ທ່ານໄດ້ຮັບ ຕອນສົ່ງຄຳຮ້ອງ.
field-reference = ລະຫັດອ້າງອີງ
field-passphrase = ລະຫັດຜ່ານ
status-sign-in = ເປີດຄຳຮ້ອງຂອງຂ້ອຍ
status-wrong = ລະຫັດອ້າງອີງ ຫຼື ລະຫັດຜ່ານບໍ່ຖືກຕ້ອງ.
status-locked = ລອງຫຼາຍເທື່ອເກີນໄປ. ເພື່ອຄວາມປອດໄພຂອງທ່ານ, ການກວດເບິ່ງຖືກໂຈະໄວ້ຊົ່ວຄາວ. ກະລຸນາລອງໃໝ່ພາຍຫຼັງ.
status-heading = ສະຖານະຄຳຮ້ອງຂອງທ່ານ
state-received = ໄດ້ຮັບແລ້ວ. ກຳລັງລໍຖ້າການອ່ານ.
state-being-handled = ຄົນໃນເຄືອຂ່າຍກຳລັງດູແລຄຳຮ້ອງຂອງທ່ານ.
state-referred = ເລື່ອງຂອງທ່ານໄດ້ຖືກສົ່ງຕໍ່ໃຫ້ທະນາຍຄວາມແລ້ວ ຕາມທີ່ທ່ານຍິນຍອມ.
state-grant-approved = ເງິນຊ່ວຍເຫຼືອໄດ້ຮັບການອະນຸມັດແລ້ວ.
state-paid = ເງິນຊ່ວຍເຫຼືອໄດ້ຈ່າຍແລ້ວ.
state-on-hold = ຄຳຮ້ອງຂອງທ່ານຖືກໂຈະໄວ້ກ່ອນ. ທ່ານຍັງສົ່ງຂໍ້ຄວາມໄດ້.
state-closed = ຄຳຮ້ອງຂອງທ່ານປິດແລ້ວ. ຖ້າຕ້ອງການຄວາມຊ່ວຍເຫຼືອເພີ່ມ, ທ່ານສາມາດສົ່ງຂໍ້ຄວາມໄດ້.
messages-heading = ຂໍ້ຄວາມ
message-from-you = ທ່ານ
message-from-team = ເຄືອຂ່າຍ
messages-none = ຍັງບໍ່ມີຂໍ້ຄວາມ.
message-label = ຂຽນຂໍ້ຄວາມ
message-send = ສົ່ງຂໍ້ຄວາມ
message-sent = ສົ່ງຂໍ້ຄວາມຂອງທ່ານແລ້ວ.
add-info-heading = ເພີ່ມເອກະສານ ຫຼື ຮູບພາບ
add-info-hint = ຮູບພາບ, ເອກະສານ PDF. ແຕ່ລະໄຟລ໌ບໍ່ເກີນ { $max_mb } MB. ຂໍ້ມູນສະຖານທີ່ຈະຖືກລຶບອອກຈາກຮູບພາບ.
attachment-label = ໄຟລ໌
attachment-send = ເພີ່ມໄຟລ໌
attachment-added = ເພີ່ມໄຟລ໌ແລ້ວ.
sign-out = ອອກຈາກຄຳຮ້ອງຂອງຂ້ອຍ
session-ended = ການນຳໃຊ້ຂອງທ່ານສິ້ນສຸດແລ້ວ. ກະລຸນາໃສ່ລະຫັດອ້າງອີງ ແລະ ລະຫັດຜ່ານອີກຄັ້ງ.

## Staying safe
safety-title = ຮັກສາຄວາມປອດໄພ
safety-tor = ຖ້າເປັນໄປໄດ້, ໃຫ້ໃຊ້ Tor Browser. ມັນຈະເຊື່ອງວ່າທ່ານເຂົ້າເວັບໄຊໃດແດ່ ຈາກຜູ້ທີ່ກຳລັງເຝົ້າເບິ່ງການເຊື່ອມຕໍ່ຂອງທ່ານ.
safety-history = ເມື່ອໃຊ້ແລ້ວ, ໃຫ້ກົດ "ອອກດ່ວນ" ຫຼື ປິດບຣາວເຊີ ແລ້ວລຶບປະຫວັດການທ່ອງເວັບ.
safety-shared = ຖ້າໃຊ້ໂທລະສັບຮ່ວມກັບຄົນອື່ນ ຫຼື ຢືມມາ, ໃຫ້ໃຊ້ໜ້າຕ່າງສ່ວນຕົວ ແລະ ອອກຈາກລະບົບເມື່ອໃຊ້ແລ້ວ.
safety-passphrase = ຢ່າສົ່ງລະຫັດຜ່ານຂອງທ່ານໃຫ້ໃຜເດັດຂາດ. ເຄືອຂ່າຍຈະບໍ່ຂໍລະຫັດຜ່ານຈາກທ່ານຈັກເທື່ອ.
safety-seized = ຖ້າໂທລະສັບຂອງທ່ານອາດຖືກຍຶດ, ຢ່າເກັບລະຫັດອ້າງອີງ ແລະ ລະຫັດຜ່ານໄວ້ໃນເຄື່ອງ.

## Errors
error-narrative-required = ກະລຸນາເລົ່າວ່າເກີດຫຍັງຂຶ້ນ.
error-narrative-too-long = ກະລຸນາຂຽນໃຫ້ສັ້ນລົງ, ບໍ່ເກີນ { $max } ຕົວອັກສອນ.
error-country-required = ກະລຸນາເລືອກປະເທດ.
error-country-invalid = ກະລຸນາເລືອກປະເທດຈາກລາຍການ.
error-field-too-long = ຄຳຕອບນີ້ຍາວເກີນໄປ: ບໍ່ເກີນ { $max } ຕົວອັກສອນ.
error-invalid-choice = ກະລຸນາເລືອກໜຶ່ງໃນຕົວເລືອກທີ່ມີໃຫ້.
error-too-many-files = ຄຳຮ້ອງໜຶ່ງເພີ່ມໄຟລ໌ໄດ້ບໍ່ເກີນ { $max } ໄຟລ໌.
error-file-too-large = ໄຟລ໌ໃຫຍ່ເກີນໄປ: ບໍ່ເກີນ { $max_mb } MB.
error-file-type = ບໍ່ຮັບໄຟລ໌ປະເພດນີ້. ກະລຸນາສົ່ງຮູບພາບ (JPEG, PNG, WebP) ຫຼື PDF.
error-rate-limited = ມີການສົ່ງຈາກການເຊື່ອມຕໍ່ນີ້ຫຼາຍເກີນໄປ. ກະລຸນາລໍຖ້າສອງສາມນາທີ ແລ້ວລອງໃໝ່.
error-body-too-large = ສິ່ງທີ່ທ່ານສົ່ງມາມີຂະໜາດໃຫຍ່ເກີນໄປ.
error-message-empty = ກະລຸນາຂຽນຂໍ້ຄວາມ.
error-form-expired = ແບບຟອມນີ້ໝົດອາຍຸແລ້ວ. ກະລຸນາກັບຄືນ, ໂຫຼດໜ້າໃໝ່ ແລ້ວລອງອີກຄັ້ງ.
error-generic = ມີບາງຢ່າງຜິດພາດ. ບໍ່ມີຫຍັງຖືກບັນທຶກໄວ້. ກະລຸນາລອງອີກຄັ້ງ.

## Referral to a lawyer (consent)
referral-heading = ການສົ່ງຕໍ່ເລື່ອງຂອງທ່ານໃຫ້ທະນາຍຄວາມ
referral-intro = ຖ້າທ່ານຍິນຍອມ, ເຄືອຂ່າຍຈະສົ່ງຕໍ່ສະເພາະຂໍ້ມູນທີ່ລະບຸໄວ້ຂ້າງລຸ່ມນີ້ ແລະ ສົ່ງໃຫ້ຄູ່ຮ່ວມງານນີ້ເທົ່ານັ້ນ. ຈະບໍ່ມີຂໍ້ມູນໃດຖືກສົ່ງຕໍ່ ຈົນກວ່າທ່ານຈະຍິນຍອມ. ທ່ານສາມາດປ່ຽນໃຈໄດ້ພາຍຫຼັງ.
referral-partner = ຄູ່ຮ່ວມງານ
referral-partner-lawyer = ທະນາຍຄວາມ
referral-partner-organisation = ອົງການດ້ານກົດໝາຍ
referral-will-share = ຂໍ້ມູນທີ່ຈະສົ່ງຕໍ່
referral-consent = ຂ້ອຍຍິນຍອມໃຫ້ສົ່ງຕໍ່ຂໍ້ມູນນີ້
referral-refuse = ບໍ່ໃຫ້ສົ່ງຕໍ່
referral-withdraw = ຢຸດການສົ່ງຕໍ່
referral-status-awaiting_consent = ກຳລັງລໍຖ້າຄຳຕອບຈາກທ່ານ
referral-status-sent = ສົ່ງຕໍ່ແລ້ວ, ກຳລັງລໍຖ້າຄຳຕອບຈາກຄູ່ຮ່ວມງານ
referral-status-accepted = ຄູ່ຮ່ວມງານກຳລັງຊ່ວຍເຫຼືອເລື່ອງຂອງທ່ານ
referral-status-declined = ຄູ່ຮ່ວມງານບໍ່ສາມາດຮັບເລື່ອງຂອງທ່ານໄດ້, ເຄືອຂ່າຍຈະຊອກຫາຄູ່ຮ່ວມງານອື່ນ
referral-status-concluded = ຄູ່ຮ່ວມງານໄດ້ເຮັດວຽກຂອງເຂົາເຈົ້າສຳເລັດແລ້ວ
referral-status-withdrawn = ບໍ່ໄດ້ສົ່ງຕໍ່
referral-answered = ບັນທຶກຄຳຕອບຂອງທ່ານແລ້ວ.
packet-kind = ສິ່ງທີ່ກຳລັງເກີດຂຶ້ນ
packet-country = ປະເທດ
packet-legal_help = ຄວາມຊ່ວຍເຫຼືອດ້ານກົດໝາຍທີ່ຕ້ອງການ
packet-summary = ບົດສະຫຼຸບທີ່ເຄືອຂ່າຍຂຽນ
packet-names = ໃຜກຳລັງຕົກຢູ່ໃນຄວາມສ່ຽງ
packet-contact = ວິທີຕິດຕໍ່ທ່ານ
packet-narrative = ຄຳເວົ້າຂອງທ່ານເອງ

## Emergency support (grants)
grant-heading = ການຊ່ວຍເຫຼືອຈາກເຄືອຂ່າຍ
grant-intro = ນີ້ແມ່ນການຊ່ວຍເຫຼືອທີ່ເຄືອຂ່າຍຕັດສິນໃຈໃຫ້ທ່ານ. ກະລຸນາແຈ້ງພວກເຮົາເມື່ອທ່ານໄດ້ຮັບແລ້ວ, ແລະ ຕໍ່ມາ ກະລຸນາເລົ່າສັ້ນໆວ່າໄດ້ໃຊ້ໄປແນວໃດ.
grant-amount = ຈຳນວນເງິນ
grant-status = ສະຖານະ
grant-category-legal_fees = ຄ່າທະນາຍຄວາມ
grant-category-bail = ເງິນປະກັນຕົວ
grant-category-relocation = ຍ້າຍໄປຢູ່ບ່ອນທີ່ປອດໄພ
grant-category-medical = ການດູແລດ້ານການແພດ
grant-category-security_measures = ມາດຕະການຮັກສາຄວາມປອດໄພ
grant-category-subsistence = ຄ່າຄອງຊີບ
grant-category-digital_security = ຄວາມປອດໄພທາງດິຈິຕອນ
grant-category-other = ການຊ່ວຍເຫຼືອອື່ນໆ
grant-status-proposed = ກຳລັງພິຈາລະນາ
grant-status-approved = ອະນຸມັດແລ້ວ, ກຳລັງກະກຽມການຈ່າຍເງິນ
grant-status-provisionally_approved = ອະນຸມັດແລ້ວ, ກຳລັງກະກຽມການຈ່າຍເງິນ
grant-status-frozen = ໂຈະໄວ້ກ່ອນ ໃນຂະນະທີ່ເຄືອຂ່າຍກວດສອບ
grant-status-rejected = ບໍ່ໄດ້ຮັບການອະນຸມັດ
grant-status-disbursed = ສົ່ງແລ້ວ: ກະລຸນາຢືນຢັນເມື່ອທ່ານໄດ້ຮັບ
grant-status-receipt_confirmed = ໄດ້ຮັບແລ້ວ
grant-status-reported = ສຳເລັດແລ້ວ: ຂອບໃຈ
grant-status-cancelled = ຍົກເລີກແລ້ວ
grant-status-reversed = ຍົກເລີກຫຼັງຈາກຈ່າຍເງິນແລ້ວ
grant-confirm = ຂ້ອຍໄດ້ຮັບແລ້ວ
grant-confirmed-notice = ຂອບໃຈ. ພວກເຮົາໄດ້ບັນທຶກແລ້ວວ່າທ່ານໄດ້ຮັບແລ້ວ.
grant-report-label = ການຊ່ວຍເຫຼືອນີ້ໄດ້ໃຊ້ໄປແນວໃດ? ຂຽນພຽງສອງສາມປະໂຫຍກກໍພໍ. ຢ່າຂຽນຊື່ ຫຼື ສະຖານທີ່ທີ່ອາດເຮັດໃຫ້ຜູ້ໃດຜູ້ໜຶ່ງຕົກຢູ່ໃນອັນຕະລາຍ.
grant-report-send = ສົ່ງລາຍງານ
grant-reported-notice = ຂອບໃຈສຳລັບລາຍງານຂອງທ່ານ.
grant-report-due = ສົ່ງລາຍງານພາຍໃນວັນທີ { $date }

## Deleting one's own request
deletion-heading = ລຶບຄຳຮ້ອງນີ້
deletion-intro = ທ່ານສາມາດຂໍໃຫ້ພວກເຮົາລຶບຄຳຮ້ອງນີ້ ແລະ ທຸກສິ່ງທີ່ທ່ານຂຽນ. ມັນຈະຖືກລຶບ { $days } ມື້ຫຼັງຈາກທ່ານຂໍ; ກ່ອນນັ້ນທ່ານສາມາດປ່ຽນໃຈໄດ້ຢູ່ບ່ອນນີ້.
deletion-button = ລຶບຄຳຮ້ອງຂອງຂ້ອຍ
deletion-scheduled = ຄຳຮ້ອງນີ້ຈະຖືກລຶບຫຼັງຈາກ { $date } ເວັ້ນເສຍແຕ່ເຄືອຂ່າຍຈຳເປັນຕ້ອງເກັບໄວ້ດ້ວຍເຫດຜົນທາງກົດໝາຍ.
deletion-cancel = ເກັບຄຳຮ້ອງຂອງຂ້ອຍໄວ້
deletion-kept-grants = ຖ້າທ່ານໄດ້ຮັບເງິນ, ບັນທຶກການຈ່າຍເງິນ (ຈຳນວນ ແລະ ວັນທີ, ບໍ່ມີຊື່ ຫຼື ລາຍລະອຽດ) ຈະຍັງຢູ່ໃນບັນຊີ.
deletion-requested-notice = ພວກເຮົາຈະລຶບຄຳຮ້ອງນີ້ຫຼັງຈາກໄລຍະລໍຖ້າ.
deletion-cancelled-notice = ຄຳຮ້ອງຂອງທ່ານຈະຖືກເກັບໄວ້.
