## cases: lo
