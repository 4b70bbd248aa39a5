## money: th
