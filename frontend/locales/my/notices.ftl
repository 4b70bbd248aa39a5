# Notices. Staff notices say only urgency and a sign-in link; the requester's news says only
# that there is something new: no name of the service, nothing about the request.

notice-subject-urgent = Shelter: အရေးပေါ်၊ သင့်ကို လိုအပ်နေသည်
notice-subject = Shelter: သင့်ကို လိုအပ်နေသည့် အရာတစ်ခု ရှိသည်
notice-opening-urgent = Shelter တွင် အရေးပေါ်ကိစ္စတစ်ခုက သင့်ကို လိုအပ်နေသည်။
notice-opening = Shelter တွင် သင့်ကို လိုအပ်နေသည့် အရာတစ်ခု ရှိသည်။
notice-digest-subject = Shelter: သင့်ကို လိုအပ်နေသည့် အရာ { $count } ခု ရှိသည်
notice-digest-opening = Shelter တွင် သင့်ကို လိုအပ်နေသည့် အရာ { $count } ခု ရှိသည်။
notice-sign-in = ကြည့်ရန် ဝင်ရောက်ပါ: { $link }
notice-says-nothing = ဤစာသည် ရည်ရွယ်ချက်ရှိရှိ ဤမျှသာ ပြောပါသည်။
news-subject = မင်္ဂလာပါ
news-text = မင်္ဂလာပါ၊ သင့်အတွက် အသစ်တစ်ခု ရှိပါသည်။
