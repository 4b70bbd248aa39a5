## partner: th

## Partner replies to the network without concluding (pt-).
pt-reply = ตอบกลับเครือข่าย (การส่งต่อยังคงสถานะเดิม)
