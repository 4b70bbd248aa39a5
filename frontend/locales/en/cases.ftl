## cases: en
