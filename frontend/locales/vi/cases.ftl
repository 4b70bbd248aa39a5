## cases: vi
