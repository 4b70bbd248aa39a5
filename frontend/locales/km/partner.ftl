## partner: km
