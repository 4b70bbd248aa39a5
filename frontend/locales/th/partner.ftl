## partner: th
