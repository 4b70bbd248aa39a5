## admin: lo
