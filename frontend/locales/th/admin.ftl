## admin: th
