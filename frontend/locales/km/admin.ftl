## admin: km
