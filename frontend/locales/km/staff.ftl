## staff: km

nav-home = ទំព័រដើម
nav-account = គណនី
nav-notices = ការជូនដំណឹង
nav-notices-unread = ការជូនដំណឹង (ថ្មី { $count })
nav-staff-accounts = គណនីបុគ្គលិក
nav-audit = កំណត់ត្រាសវនកម្ម
nav-partners = ដៃគូ
nav-grants = ជំនួយ
nav-funds = មូលនិធិ
nav-insights = ទិដ្ឋភាពទូទៅ
nav-retention = ការរក្សាទុកទិន្នន័យ
nav-alumni = អតីតអ្នកទទួលជំនួយ
nav-sign-out = ចាកចេញ { $name }
nav-language = ភាសានៃទំព័រទាំងនេះ
nav-language-change = ប្ដូរ
nav-on-call = អ្នកប្រចាំការឥឡូវនេះ៖ { $names }។
nav-nobody-on-call = គ្មានអ្នកប្រចាំការឥឡូវនេះទេ៖ ករណីបន្ទាន់នឹងផ្ញើទៅអ្នកគ្រប់គ្រងទាំងអស់។
