## partner: lo
