## money: vi
