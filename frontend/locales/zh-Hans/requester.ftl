# Shelter — the requester side. Plain words: the reader may be frightened, reading on a
# small phone, in a second language. Never promise what the network cannot do.

## Everywhere
site-name = Shelter
quick-exit = 快速离开
quick-exit-hint = 立即离开本网站，并结束本次访问。
language-label = 语言
staying-safe-link = 使用本网站时如何保护自己
footer-privacy = 你写的内容都经过加密，只有处理你求助的人才能看到。
back-to-start = 返回首页

## Landing
landing-title = 安全地求助
landing-intro = Shelter 是湄公河地区一个环境人权捍卫者援助网络的求助平台。如果你或与你共事的人面临逮捕、指控、威胁、监视、网络攻击，或必须紧急离开家，可以在这里向援助网络求助。
landing-start = 开始求助
landing-check = 查看已提交的求助

## Intake form
intake-title = 求助
intake-intro = 不需要注册账号。只有“发生了什么”和“国家”是必填的。其他信息能帮助我们更快地帮到你。
intake-danger-warning = 不要写下任何名字、地点或细节，以免这部手机被拿走时让任何人陷入危险。等双方商定了安全的联系方式后，你可以再补充更多信息。
intake-required = 必填
intake-optional = 选填
field-kind = 发生了什么事？
kind-arrest = 有人被逮捕或正被拘押
kind-charges = 刑事指控、被起诉或法庭案件
kind-threat = 受到威胁、被跟踪或监视，或遭到人身攻击
kind-digital = 账号、手机或电脑被入侵，或遭到其他网络攻击
kind-relocation = 我需要紧急离开住处
kind-medical = 医疗或心理健康方面的紧急情况
kind-not-sure = 不确定，或其他情况
field-when = 什么时候发生的？
field-when-hint = 例如：昨晚、3天前、现在还在发生。
field-country = 事情发生在哪个国家
field-country-choose = 选择国家
country-other = 其他国家
field-place = 城镇或地区
field-place-hint = 只在安全的情况下填写。
field-urgency = 情况有多紧急？
urgency-immediate = 马上：有人被拘押，或正面临紧迫危险
urgency-days = 几天内：危险正在逼近
urgency-weeks = 几周内
urgency-information = 我需要建议或信息
field-narrative = 用你自己的话说说发生了什么
field-narrative-hint = 只写你能安全说出的内容。用任何语言都可以。
field-at-risk = 谁有危险？
field-at-risk-hint = 例如：我、我的家人、我的同事。如果不安全，不要写名字。
field-needs = 你需要什么帮助？
need-legal = 律师或法律建议
need-money = 应付紧急开支的资金
need-relocation = 帮助转移到安全的地方
need-medical = 医疗或心理援助
need-digital = 帮助保护手机、电脑或账号的安全
need-other = 其他帮助
field-contact = 安全联系你的方式
field-contact-hint = 例如：可以安全使用的 Signal 号码或电子邮箱。如果你更愿意自己回来这里查看，可以留空。
field-contact-time = 什么时候联系你比较安全？
field-no-contact = 请不要联系我。我会用我的编号和密码回来这里查看。
submit-request = 发送我的求助
submit-note = 发送后，你会得到一个编号和一个密码。请保存好，这是查看回复的唯一方法。

## After sending
received-title = 我们已收到你的求助
received-intro = 援助网络的成员会尽快阅读。
received-reference = 你的编号
received-passphrase = 你的密码
received-memorise = 请背下密码，或把它存放在安全的地方。密码只显示这一次，没有人能帮你找回。
received-do-not-store = 如果手机可能被人拿走，不要把密码存在手机的备忘录或照片里。
received-next = 要查看回复或补充信息，请前往状态页面，输入你的编号和密码。
received-go-status = 前往状态页面
received-already = 这个求助之前已经收到了。请使用第一次显示给你的编号和密码。

## Status portal
status-title = 查看你的求助
status-intro = 输入你发送求助时收到的编号和密码。
field-reference = 编号
field-passphrase = 密码
status-sign-in = 打开我的求助
status-wrong = 编号或密码不正确。
status-locked = 尝试次数太多。为了你的安全，查询暂停一段时间。请稍后再试。
status-heading = 你的求助状态
state-received = 已收到，正在等待阅读。
state-being-handled = 援助网络的成员正在处理你的求助。
state-referred = 经你同意，你的案子已转交给一位律师。
state-grant-approved = 资金支持已获批准。
state-paid = 资金支持已经发放。
state-on-hold = 你的求助暂时搁置。你仍然可以发送消息。
state-closed = 你的求助已结束。如果还需要帮助，可以发送消息。
messages-heading = 消息
message-from-you = 你
message-from-team = 援助网络
messages-none = 还没有消息。
message-label = 写消息
message-send = 发送消息
message-sent = 你的消息已发送。
add-info-heading = 添加文件或照片
add-info-hint = 照片、PDF 文件。每个文件最大 { $max_mb } MB。照片中的位置信息会被删除。
attachment-label = 文件
attachment-send = 添加文件
attachment-added = 文件已添加。
sign-out = 退出
session-ended = 本次访问已结束。请重新输入你的编号和密码。

## Staying safe
safety-title = 保护自己的安全
safety-tor = 如果可以，请使用 Tor Browser。监视你网络连接的人将无法看到你访问了哪些网站。
safety-history = 用完后，请点击“快速离开”，或关闭浏览器并清除浏览记录。
safety-shared = 如果用的是共用或借来的手机，请使用无痕窗口，用完后退出。
safety-passphrase = 永远不要把密码发给任何人。援助网络绝不会向你索要密码。
safety-seized = 如果你的手机可能被人拿走，不要在手机里保存编号和密码。

## Errors
error-narrative-required = 请描述发生了什么。
error-narrative-too-long = 请把描述缩短到 { $max } 个字以内。
error-country-required = 请选择国家。
error-country-invalid = 请从列表中选择一个国家。
error-field-too-long = 这个回答太长了：最多 { $max } 个字。
error-invalid-choice = 请从给出的选项中选择一个。
error-too-many-files = 每个求助最多只能添加 { $max } 个文件。
error-file-too-large = 文件太大：最大 { $max_mb } MB。
error-file-type = 不接受这种文件类型。请发送照片（JPEG、PNG、WebP）或 PDF。
error-rate-limited = 这个网络连接的操作太频繁。请等几分钟再试。
error-body-too-large = 你发送的内容太大。
error-message-empty = 请写一条消息。
error-form-expired = 这个表单已过期。请返回，刷新页面后再试。
error-generic = 出错了，没有保存任何内容。请再试一次。

## Referral to a lawyer (consent)
referral-heading = 与律师分享你的案子
referral-intro = 如果你同意，援助网络只会分享下面列出的内容，而且只分享给这位合作方。在你同意之前，什么都不会分享。你以后可以改变主意。
referral-partner = 合作方
referral-partner-lawyer = 律师
referral-partner-organisation = 法律机构
referral-will-share = 将会分享的内容
referral-consent = 我同意分享这些内容
referral-refuse = 不要分享
referral-withdraw = 停止分享
referral-status-awaiting_consent = 正在等待你的答复
referral-status-sent = 已分享，正在等待合作方答复
referral-status-accepted = 合作方正在协助处理你的案子
referral-status-declined = 合作方无法接手你的案子，援助网络会另找其他合作方
referral-status-concluded = 合作方已完成他们的工作
referral-status-withdrawn = 未分享
referral-answered = 你的答复已记录。
packet-kind = 发生了什么
packet-country = 国家
packet-legal_help = 需要的法律帮助
packet-summary = 援助网络写的摘要
packet-names = 谁有危险
packet-contact = 如何联系你
packet-narrative = 你自己的话

## Emergency support (grants)
grant-heading = 援助网络给你的支持
grant-intro = 这是援助网络决定给你的支持。收到后请告诉我们；之后请简单说一下这笔支持是怎么用的。
grant-amount = 金额
grant-status = 状态
grant-category-legal_fees = 律师费
grant-category-bail = 保释金
grant-category-relocation = 转移到安全的地方
grant-category-medical = 医疗
grant-category-security_measures = 安全防护措施
grant-category-subsistence = 生活费
grant-category-digital_security = 数字安全
grant-category-other = 其他支持
grant-status-proposed = 正在考虑
grant-status-approved = 已批准，正在安排付款
grant-status-provisionally_approved = 已批准，正在安排付款
grant-status-frozen = 暂停中，援助网络正在核查
grant-status-rejected = 未获批准
grant-status-disbursed = 已发出：收到后请确认
grant-status-receipt_confirmed = 已收到
grant-status-reported = 已完成：谢谢你
grant-status-cancelled = 已取消
grant-status-reversed = 付款后已取消
grant-confirm = 我已收到
grant-confirmed-notice = 谢谢。我们已记录你收到了。
grant-report-label = 这笔支持是怎么用的？写几句话就够了。不要写出可能让任何人陷入危险的名字或地点。
grant-report-send = 发送说明
grant-reported-notice = 谢谢你的说明。
grant-report-due = 请在 { $date } 之前发送说明

## 有新消息时通知（可选）
news-heading = 有新消息时通知我（可选）
news-warning = 我们只会发送一句简短的问候，说有新的消息：绝不包含您的编号、姓名、与您的请求有关的任何内容，也不包含我们的名称。但任何能看到这部手机、这个电子邮箱或这个聊天账号的人，都会看到有消息到来。如果您的手机可能被没收或检查，请不要开启。
news-channel = 我们该如何通知您？
news-channel-none = 不要通知我。我会自己来这里查看。
news-channel-email = 通过电子邮件
news-channel-webhook = 通过聊天应用（Signal、Telegram 或 Matrix）
news-address = 电子邮箱或聊天账号
news-address-hint = 例如：name@example.org，或 Signal 号码，如 +66812345678。
news-on = 有新消息时，我们会发送到您留下的地址。
news-off = 您不会收到通知。您可以用编号和口令在这里查看。
news-save = 有新消息时通知我
news-stop = 停止通知我
news-saved = 已保存。有新消息时我们会通知您。
news-stopped = 您将不再收到通知。地址已删除。
error-news-address = 请填写电子邮箱，例如 name@example.org。
error-news-handle = 请填写聊天账号或号码：只能包含字母、数字和 + @ . _ : -。
## Deleting one's own request
deletion-heading = 删除此求助
deletion-intro = 你可以要求我们删除此求助以及你写下的所有内容。我们会在你提出要求 { $days } 天后删除；在此之前，你可以在这里改变主意。
deletion-button = 删除我的求助
deletion-scheduled = 此求助将在 { $date } 之后删除，除非网络出于法律原因必须保留。
deletion-cancel = 保留我的求助
deletion-kept-grants = 如果你收到过款项，付款记录（金额和日期，不含姓名或详细信息）会保留在账目中。
deletion-requested-notice = 等待期结束后，我们将删除此求助。
deletion-cancelled-notice = 你的求助将被保留。

# requester-side (issue 21)
received-reply-hours = 网络的工作人员会阅读你的求助，并在 { $hours } 小时内答复。
received-reply-days = 网络的工作人员会阅读你的求助，并在 { $days } 天内答复。
received-digits-hint = 这个口令只有数字。输入时可以有空格，也可以没有；全角或半角数字都可以。
received-meanwhile-heading = 等待期间
received-meanwhile = 把你知道的情况记在安全的地方：在哪里、什么时候发生、当时有谁在场。只告诉你信任的人。在状态页面查看消息。如果现在有人正处于危险中，也请联系附近的律师或你信任的人。
intake-error-summary = 请检查以下回答
intake-no-contact-note = 如果你不留联系方式，就不会有人联系你：请用你的编号和口令在状态页面查看。
status-lost-heading = 口令丢了？
status-lost-passphrase = 任何人都无法找回口令，网络也不能。如果丢了，请重新提交求助，并写明你以前提交过、大约在什么时候；网络会把两次求助联系起来。
portal-sign-out = 退出
times-local = 时间按你所在国家的时间显示（{ $offset }）。
times-in-utc = 时间按 UTC 显示。
packet-other-language = 网络用另一种语言写了这一部分。在同意之前，你可以发消息请他们用你的语言来写。
grant-paid-how = 付款方式
grant-paid-on = 付款日期
grant-method-bank_transfer = 银行转账
grant-method-mobile_money = 手机钱包
grant-method-cash_intermediary = 现金，通过可信任的人转交
grant-method-direct_to_provider = 直接付给律师、诊所或服务方，不是付给你
grant-provider-confirm-note = 这笔钱付给了他们，不是付给你。只有在他们告诉你已经收到后才确认。
grant-confirm-provider = 他们已告诉我已收到
