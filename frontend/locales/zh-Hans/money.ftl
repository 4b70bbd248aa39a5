## money: zh-Hans
