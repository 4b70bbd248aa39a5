## admin: my
