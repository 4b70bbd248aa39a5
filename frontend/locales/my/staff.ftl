## staff: my

nav-home = ပင်မစာမျက်နှာ
nav-account = အကောင့်
nav-notices = အသိပေးချက်များ
nav-notices-unread = အသိပေးချက်များ (အသစ် { $count })
nav-staff-accounts = ဝန်ထမ်းအကောင့်များ
nav-audit = စစ်ဆေးမှတ်တမ်း
nav-partners = မိတ်ဖက်များ
nav-grants = ထောက်ပံ့ငွေများ
nav-funds = ရန်ပုံငွေများ
nav-insights = ခြုံငုံသုံးသပ်ချက်
nav-retention = မှတ်တမ်းသိမ်းဆည်းချိန်
nav-alumni = ယခင်အကူအညီရရှိသူများ
nav-sign-out = { $name } ထွက်မည်
nav-language = ဤစာမျက်နှာများ၏ ဘာသာစကား
nav-language-change = ပြောင်းမည်
nav-on-call = ယခု တာဝန်ကျသူ: { $names }။
nav-nobody-on-call = ယခု တာဝန်ကျသူ မရှိပါ။ အရေးပေါ်ကိစ္စများကို ကြီးကြပ်သူအားလုံးထံ ပို့ပါမည်။
