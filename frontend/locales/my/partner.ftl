## partner: my

## Partner replies to the network without concluding (pt-).
pt-reply = ကွန်ရက်ထံ ပြန်စာရေးရန် (လွှဲပြောင်းညွှန်းဆိုမှု မပြောင်းလဲပါ)
