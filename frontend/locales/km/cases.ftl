## cases: km
