## admin: en
