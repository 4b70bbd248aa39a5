# The page a voucher opens from their link, and the notice that carries the link.
# A voucher is a trusted member of the network or a partner, not the requester. Nothing
# here may name the service, the case or the person asked about.

vouch-title = ຄຳຖາມສຳລັບທ່ານ
vouch-intro = ຄົນທີ່ທ່ານຮູ້ຈັກຜ່ານເຄືອຂ່າຍຂອງພວກເຮົາ ຢາກຖາມທ່ານຕາມຄຳຖາມລຸ່ມນີ້. ມີແຕ່ທ່ານຜູ້ດຽວທີ່ໄດ້ຮັບລິ້ງນີ້. ຄຳຕອບຂອງທ່ານຈະໄປເຖິງສະເພາະທີມງານນ້ອຍໆທີ່ດູແລຄຳຮ້ອງນີ້ເທົ່ານັ້ນ.
vouch-question-label = ຄຳຖາມ
vouch-answer-legend = ຄຳຕອບຂອງທ່ານ
vouch-answer-confirm = ແມ່ນ, ຂ້ອຍຢືນຢັນ
vouch-answer-cannot = ຂ້ອຍບໍ່ສາມາດຢືນຢັນໄດ້
vouch-answer-concerned = ຂ້ອຍມີຂໍ້ກັງວົນ
vouch-comment = ຄຳເຫັນ (ບໍ່ບັງຄັບ)
vouch-comment-hint = ມີແຕ່ທີມງານນ້ອຍໆທີ່ດູແລຄຳຮ້ອງນີ້ເທົ່ານັ້ນທີ່ຈະອ່ານ. ຢ່າຂຽນສິ່ງທີ່ທ່ານບໍ່ຢາກໃຫ້ຄົນອື່ນອ່ານ ຖ້າໂທລະສັບເຄື່ອງນີ້ຖືກຍຶດ.
vouch-submit = ສົ່ງຄຳຕອບຂອງຂ້ອຍ
vouch-expires = ລິ້ງນີ້ໃຊ້ໄດ້ພຽງເທື່ອດຽວ, ຈົນຮອດ { $expires }.
vouch-thanks-title = ຂອບໃຈ
vouch-thanks = ສົ່ງຄຳຕອບຂອງທ່ານແລ້ວ. ລິ້ງນີ້ໃຊ້ບໍ່ໄດ້ອີກແລ້ວ. ທ່ານສາມາດປິດໜ້ານີ້ໄດ້.
vouch-answered = ຄຳຖາມນີ້ໄດ້ຖືກຕອບຜ່ານລິ້ງນີ້ແລ້ວ. ລິ້ງແຕ່ລະອັນໃຊ້ໄດ້ພຽງເທື່ອດຽວ.
vouch-closed = ຄຳຖາມນີ້ປິດແລ້ວ: ໝົດເວລາແລ້ວ ຫຼື ບໍ່ຈຳເປັນອີກແລ້ວ.
vouch-unknown = ລິ້ງນີ້ໃຊ້ບໍ່ໄດ້. ກະລຸນາກວດເບິ່ງວ່າທ່ານເປີດລິ້ງຄົບທັງໝົດແລ້ວ.
vouch-error-answer = ກະລຸນາເລືອກຄຳຕອບໜຶ່ງຂໍ້.
vouch-error-comment = ຄຳເຫັນຍາວເກີນໄປ (ບໍ່ເກີນ { $max } ຕົວອັກສອນ).
vouch-too-many = ມີການລອງຈາກການເຊື່ອມຕໍ່ນີ້ຫຼາຍເທື່ອເກີນໄປ. ກະລຸນາລໍຖ້າສອງສາມນາທີ ແລ້ວລອງໃໝ່.
vouch-notice-subject = ຄຳຖາມສຳລັບທ່ານ
vouch-notice-opening = ຄົນທີ່ທ່ານຮູ້ຈັກຜ່ານເຄືອຂ່າຍຂອງພວກເຮົາ ມີຄຳຖາມໜຶ່ງຢາກຖາມທ່ານ. ເປີດລິ້ງນີ້ເພື່ອອ່ານ ແລະ ຕອບ:
vouch-notice-expires = ລິ້ງນີ້ໃຊ້ໄດ້ພຽງເທື່ອດຽວ, ຈົນຮອດ { $expires }.
vouch-notice-ignore = ຖ້າທ່ານບໍ່ໄດ້ຄາດວ່າຈະໄດ້ຮັບຂໍ້ຄວາມນີ້, ທ່ານບໍ່ຕ້ອງສົນໃຈມັນກໍໄດ້.
