# The page a voucher opens from their link, and the notice that carries the link.
# A voucher is a trusted member of the network or a partner, not the requester. Nothing
# here may name the service, the case or the person asked about.

vouch-title = 有个问题想请教您
vouch-intro = 一位通过我们的援助网络与您相识的人，想请您回答下面的问题。此链接只发给了您一人。您的回答只会送到负责处理这项请求的小团队那里。
vouch-question-label = 问题
vouch-answer-legend = 您的回答
vouch-answer-confirm = 是的，我确认
vouch-answer-cannot = 我无法确认
vouch-answer-concerned = 我有顾虑
vouch-comment = 补充说明（选填）
vouch-comment-hint = 只有负责处理这项请求的小团队会看到。如果这部手机被拿走，您不希望别人看到的内容，请不要写。
vouch-submit = 发送我的回答
vouch-expires = 此链接只能使用一次，有效期至 { $expires }。
vouch-thanks-title = 谢谢您
vouch-thanks = 您的回答已发送。此链接已失效。您可以关闭此页面。
vouch-answered = 这个问题已经通过此链接回答过了。每个链接只能使用一次。
vouch-closed = 这个问题已关闭：已过期限，或已不再需要。
vouch-unknown = 此链接无法使用。请检查您打开的链接是否完整。
vouch-error-answer = 请选择一个回答。
vouch-error-comment = 补充说明太长了（最多 { $max } 个字）。
vouch-too-many = 这个网络连接的尝试次数太多。请等几分钟再试。
vouch-notice-subject = 有个问题想请教您
vouch-notice-opening = 一位通过我们的援助网络与您相识的人，想请您回答一个问题。请打开此链接阅读并回答：
vouch-notice-expires = 此链接只能使用一次，有效期至 { $expires }。
vouch-notice-ignore = 如果您没有预料到会收到这条消息，可以不予理会。
