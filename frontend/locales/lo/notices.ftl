# Notices. Staff notices say only urgency and a sign-in link; the requester's news says only
# that there is something new: no name of the service, nothing about the request.

notice-subject-urgent = Shelter: ດ່ວນ, ມີເລື່ອງທີ່ຕ້ອງການທ່ານ
notice-subject = Shelter: ມີເລື່ອງທີ່ຕ້ອງການທ່ານ
notice-opening-urgent = ມີເລື່ອງດ່ວນໃນ Shelter ທີ່ຕ້ອງການທ່ານ.
notice-opening = ມີເລື່ອງໃນ Shelter ທີ່ຕ້ອງການທ່ານ.
notice-digest-subject = Shelter: ມີ { $count } ເລື່ອງທີ່ຕ້ອງການທ່ານ
notice-digest-opening = ມີ { $count } ເລື່ອງໃນ Shelter ທີ່ຕ້ອງການທ່ານ.
notice-sign-in = ເຂົ້າສູ່ລະບົບເພື່ອເບິ່ງ: { $link }
notice-says-nothing = ຂໍ້ຄວາມນີ້ຕັ້ງໃຈບໍ່ບອກຫຍັງຫຼາຍກວ່ານີ້.
news-subject = ສະບາຍດີ
news-text = ສະບາຍດີ, ມີສິ່ງໃໝ່ສຳລັບທ່ານ.
