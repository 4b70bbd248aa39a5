## money: en
