# The page a voucher opens from their link, and the notice that carries the link.
# A voucher is a trusted member of the network or a partner, not the requester. Nothing
# here may name the service, the case or the person asked about.

vouch-title = A question for you
vouch-intro = Someone in your network asks you the question below. Only you received this link. Your answer goes only to the small team that handles this request.
vouch-question-label = The question
vouch-answer-legend = Your answer
vouch-answer-confirm = Yes, I confirm
vouch-answer-cannot = I cannot confirm
vouch-answer-concerned = I am concerned
vouch-comment = A comment (optional)
vouch-comment-hint = Only the small team that handles this request will read it. Do not write anything you would not want read if this phone were taken.
vouch-submit = Send my answer
vouch-expires = This link works once, until { $expires }.
vouch-thanks-title = Thank you
vouch-thanks = Your answer was sent. This link no longer works. You can close this page.
vouch-answered = This question was already answered through this link. A link works only once.
vouch-closed = This question is closed: its time has passed, or it is no longer needed.
vouch-unknown = This link does not work. Check that you opened all of it.
vouch-error-answer = Choose one answer.
vouch-error-comment = The comment is too long (at most { $max } characters).
vouch-too-many = Too many attempts from this network. Please wait a few minutes and try again.
vouch-notice-subject = A question for you
vouch-notice-opening = Someone in your network asks you a question. Open this link to read it and answer:
vouch-notice-expires = The link works once, until { $expires }.
vouch-notice-ignore = If you did not expect this message, you can ignore it.
