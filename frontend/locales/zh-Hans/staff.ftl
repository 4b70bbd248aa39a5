## staff: zh-Hans

nav-home = 首页
nav-account = 账户
nav-notices = 通知
nav-notices-unread = 通知（{ $count } 条新）
nav-staff-accounts = 工作人员账户
nav-audit = 审计记录
nav-partners = 合作伙伴
nav-grants = 资助
nav-funds = 资金
nav-insights = 概况
nav-retention = 数据保留
nav-alumni = 曾受助者
nav-sign-out = 退出 { $name }
nav-language = 这些页面的语言
nav-language-change = 更改
nav-on-call = 当前值班：{ $names }。
nav-nobody-on-call = 当前无人值班：紧急个案将发送给所有主管。
