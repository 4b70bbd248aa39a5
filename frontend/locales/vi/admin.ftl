## admin: vi
