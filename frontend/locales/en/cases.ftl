## cases: en

## Home pages: what waits on each person (hw-).
hw-title = Waiting on you
hw-nothing = Nothing is waiting on you.
hw-decide-grant = { $count ->
    [one] a grant awaits your decision
   *[other] { $count } grants await your decision
}
hw-pay-grant = { $count ->
    [one] an approved grant awaits your payment
   *[other] { $count } approved grants await your payment
}
hw-grant-receipt = a payment has gone unconfirmed for two weeks: ask whether it arrived
hw-grant-report = a grant's report on its use is due
hw-approve-referral = { $count ->
    [one] a referral awaits your approval
   *[other] { $count } referrals await your approval
}
hw-review-decisions = { $count ->
    [one] one decision by someone else awaits review
   *[other] { $count } decisions by others await review
}
hw-confirm-new-account = a new privileged account waits for your confirmation
hw-confirm-reset-account = a privileged account's second factor was reset; it waits for your confirmation
hw-account-changed = { $count ->
    [one] a privileged account was created or reset in the last 30 days: check that this was expected
   *[other] { $count } privileged accounts were created or reset in the last 30 days: check that this was expected
}
hw-overdue-tasks = { $count ->
    [one] one checklist task is overdue
   *[other] { $count } checklist tasks are overdue
}
hw-unread-messages = { $count ->
    [one] the requester wrote a message you have not read
   *[other] the requester wrote { $count } messages you have not read
}
hw-role-handler = case handler
hw-role-supervisor = supervisor
hw-role-finance = finance officer
hw-role-partner = partner
hw-role-admin = administrator
hw-admin-title = The installation
hw-admin-pending-title = Accounts waiting for confirmation
hw-admin-no-pending = No account is waiting for confirmation.
hw-admin-pending-enrolling = not enrolled yet; a supervisor confirms it once it is
hw-admin-pending-new = new; waits for a supervisor's confirmation
hw-admin-pending-reset = second factor reset; waits for a supervisor's confirmation
hw-admin-state-title = Keys, backups and notices
hw-admin-what = What
hw-admin-verdict = State
hw-admin-detail = Detail
hw-admin-fine = Fine
hw-admin-attention = Needs attention
hw-admin-notices = Notices
hw-admin-no-failed = Every notice was delivered.
hw-admin-failed = { $count ->
    [one] 1 notice could not be delivered: retry it or check the address
   *[other] { $count } notices could not be delivered: retry them or check the addresses
}
hw-admin-key = Master key file
hw-admin-key-ok = { $path }: present and readable only by the user Shelter runs as.
hw-admin-key-problem = { $path }: missing, readable by others or owned by another user. Run shelter doctor.
hw-admin-backups = Backups
hw-admin-backup-unset = No backup folder is set (SHELTER_BACKUP_DIR): nobody checks that backups are made.
hw-admin-backup-unreadable = The backup folder cannot be read.
hw-admin-backup-none = The backup folder holds no backup yet.
hw-admin-backup-age = The newest backup is { $hours } h old.
hw-admin-backup-old = The newest backup is { $hours } h old, more than { $max } h: make a backup now.
hw-admin-rotation = Key rotation
hw-admin-no-rotation = No key rotation is under way.
hw-admin-rotating = A key rotation started { $since } and has not finished: run shelter keys rotate again to finish it.

## Writing to a partner: the check for details the requester did not consent to share.
hw-warn-title = Check before writing to the partner
hw-warn-intro = This message seems to hold details the requester did not agree to share with this partner:
hw-warn-phone = a phone number: { $text }
hw-warn-email = an e-mail address: { $text }
hw-warn-name = a name from the case that the packet does not share: { $text }
hw-warn-contact = the requester's contact details, which the packet does not share: { $text }
hw-warn-nothing-sent = Nothing was sent. Remove these details, or send anyway if the requester agreed another way.
hw-warn-label = Message to the partner
hw-warn-check = Check again and send
hw-warn-send-anyway = Send anyway
hw-warn-back = Back to the case
