## cases: my
