## cases: th
