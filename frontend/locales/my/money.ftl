## money: my
