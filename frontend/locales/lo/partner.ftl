## partner: lo

## Partner replies to the network without concluding (pt-).
pt-reply = ຕອບກັບເຄືອຂ່າຍ (ການສົ່ງຕໍ່ຍັງຄືເກົ່າ)
