## partner: my
