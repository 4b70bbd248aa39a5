## money: lo
