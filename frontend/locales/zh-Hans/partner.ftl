## partner: zh-Hans

## Partner replies to the network without concluding (pt-).
pt-reply = 回复网络（转介状态保持不变）
