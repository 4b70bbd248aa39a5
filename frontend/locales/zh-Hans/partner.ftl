## partner: zh-Hans
