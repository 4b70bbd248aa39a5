## partner: vi
