## money: km
