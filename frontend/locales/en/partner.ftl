## partner: en
