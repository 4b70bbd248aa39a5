## partner: en

## Partner replies to the network without concluding (pt-).
pt-reply = Reply to the network (the referral stays as it is)
