## money: en
## Grants, funds and insights for staff: words for codes (mword-), the grant pages (grant-),
## the funds page (fund-) and the insights (ins-).

mword-state-proposed = proposed
mword-state-approved = approved
mword-state-provisionally_approved = provisionally approved
mword-state-frozen = frozen
mword-state-rejected = rejected
mword-state-disbursed = paid
mword-state-receipt_confirmed = receipt confirmed
mword-state-reported = use reported
mword-state-cancelled = cancelled
mword-state-reversed = payment reversed
mword-category-legal_fees = legal fees
mword-category-bail = bail
mword-category-relocation = relocation
mword-category-medical = medical care
mword-category-security_measures = security measures
mword-category-subsistence = living costs
mword-category-digital_security = digital security
mword-category-other = other
mword-method-bank_transfer = bank transfer
mword-method-mobile_money = mobile money
mword-method-cash_intermediary = cash through an intermediary
mword-method-direct_to_provider = paid to the provider directly
mword-tier-a = tier A
mword-tier-b = tier B
mword-tier-c = tier C
mword-decision-approve = approved
mword-decision-ratify = ratified
mword-decision-reject = rejected
mword-decision-freeze = frozen
mword-any = any
mword-none = none
mword-choose = Choose…

grant-step-up-code = Six-digit code
grant-step-up-confirm = Confirm code
grant-name-case = { $reference } · { $category }
grant-name-alias = { $category } · { $alias }
grant-title = Grant: { $name }
grant-done = Done: recorded, with its audit entry.
grant-back-case = Back to the case
grant-back-register = Back to the register
grant-fact-status = Status
grant-fact-fund = Fund
grant-fact-category = Category
grant-fact-amount = Amount
grant-fact-cap = Playbook cap for this category
grant-fact-in-fund = In the fund's currency
grant-fact-tier = Approval
grant-fact-tier-value = { $tier }: { $given } of { $needed } approvals
grant-fact-payee = Payee
grant-fact-details-changed = Payment details last changed
grant-fact-changed-by = { $time } by { $name }
grant-fact-payers = Who may release the payment
grant-payers-none = Nobody can release this payment: every finance officer proposed, approved or changed the payee's details, or declared a conflict. A supervisor should ask an administrator for another finance officer (confirmed by a supervisor), or cancel the grant and propose it again.
grant-fact-country = Country
grant-fact-proposed = Proposed
grant-fact-provisional = Provisional approval
grant-provisional-ratified = ratified { $time }
grant-provisional-due = to be ratified by { $time }
grant-fact-receipt = Receipt confirmed
grant-fact-report-due = Report due
grant-paid-method = Method
grant-paid-paid = Paid
grant-paid-fees = Fees
grant-paid-from-fund = From the fund
grant-paid-reference = Payment reference
grant-paid-on = Paid on
grant-decision-provisional = { $decision } (provisional)
grant-payee-details = Payment details (finance only)
grant-purpose = Purpose
grant-vouchers = Named as vouchers when proposed (before attestations; not verified)
grant-report = Report on the use of funds
grant-decisions = Decisions
grant-no-decisions = No decisions yet.
grant-rationale-hidden = Rationale hidden: it is case content.
grant-payment = Payment
grant-actions = Actions
grant-step-up-why = Approving, paying, changing payee details and reversing need a fresh code from your authenticator app.
grant-provisional-choice = Provisional single approval (critical case): a second supervisor must ratify within 72 hours or the grant freezes
grant-approve = Approve
grant-reject = Reject
grant-waiting-vouchers = Approval is offered once enough people have confirmed the requester (see Verification).
grant-decide = Decide
grant-rationale = Rationale
grant-memo-warning = The reference and memo must never mention the case, the person's situation, or this network.
grant-method = Method
grant-paid-amount = Amount actually paid, in { $currency }
grant-fees-amount = Fees, in { $currency }
grant-rate-used = Rate used: 1 { $currency } in the fund's currency
grant-transfer-reference = Transfer reference
grant-paid-on-field = Paid on
grant-record-payment = Record payment
grant-disburse-heading = Record the payment
grant-payee-warning = Whoever changes payment details cannot release this payment.
grant-payee-alias = Payee alias
grant-payee-alias-hint = (shown to everyone: no real name needed)
grant-payee-details-field = Payment details
grant-payee-details-hint = (account or phone number, bank, name on account: encrypted, only finance sees it)
grant-change-payee = Change payee
grant-change-payee-heading = Change the payee
grant-note = Note
grant-optional = (optional)
grant-record-receipt = Record receipt confirmed
grant-receipt-heading = Receipt
grant-report-field = How the money was used
grant-save-report = Save report
grant-cancel = Cancel grant
grant-cancel-heading = Cancel
grant-reverse = Reverse payment
grant-reverse-heading = Reverse the payment
grant-memo-MM = Myanmar: banks and mobile wallets (KBZPay, WavePay) are watched and transfers from abroad are questioned. Send through a trusted intermediary where possible; as memo use a family or trade phrase ("family support", "goods payment") and never an organisation's name.
grant-memo-TH = Thailand: PromptPay and bank memos are visible to the recipient's bank. Use "invoice" with a plain number, or "family support"; avoid the names of foundations or projects.
grant-memo-KH = Cambodia: ABA and Wing transfers may be reviewed. Use a neutral memo ("personal transfer", "household"); for lawyers, their own invoice number only.
grant-memo-LA = Laos: bank transfers from abroad draw attention. Prefer payment to the provider directly or cash through a trusted intermediary; memo "personal" or an invoice number.
grant-memo-VN = Vietnam: transfers from foreign organisations are reported. Pay providers directly where possible; memo an invoice number or "family support", never a project or NGO name.
grant-memo-CN = China: transfers are monitored and overseas funding of civil society is restricted. Use a trusted intermediary or pay the provider directly; memo a plain trade phrase, never an organisation's name.
grant-memo-other = Keep the memo bland: an invoice number, "family support" or "personal transfer". Never the network's name, the case, or the person's situation.

grant-section = Grants
grant-none-for-case = No grants for this case yet.
grant-of-case = Grants of this case
grant-col-grant = Grant
grant-col-amount = Amount
grant-col-status = Status
grant-col-payee = Payee
grant-propose-heading = Propose a grant
grant-propose-step-up = Proposing a grant means entering payee details, which needs a fresh code from your authenticator app.
grant-propose-code = Six-digit code from your authenticator app
grant-propose-code-expired = (your last confirmation has expired)
grant-field-fund = Fund
grant-field-category = Category
grant-field-amount = Amount
grant-field-currency = Currency
grant-field-rate = Rate
grant-field-rate-hint = (only if the currency differs from the fund's: 1 unit of this currency in the fund's currency)
grant-field-purpose = Purpose
grant-propose = Propose grant
grant-fund-choice = { $name } ({ $currency }, { $available } available)
grant-category-cap = { $category } (playbook cap { $cap })
grant-caps-note = This case's playbook caps: { $caps }.
grant-cap-item = { $category } up to { $cap }
grant-cap-beside = Playbook cap for { $category }: { $cap }

grant-register = Grant register
grant-filter-fund = Fund
grant-filter-any = Any
grant-filter-status = Status
grant-filter-category = Category
grant-filter-country = Country (code)
grant-filter-from = From
grant-filter-to = To
grant-filter = Filter
grant-fund-balances = Fund balances
grant-totals = Totals
grant-totals-by-fund = By fund
grant-totals-by-category = By category
grant-totals-by-country = By country
grant-totals-by-month = By month proposed
grant-totals-group = Group
grant-totals-count = Grants
grant-totals-committed = Committed
grant-totals-paid = Paid
grant-totals-key = { $key } ({ $currency })
grant-none-match = No grants match these filters.
grant-col-proposed = Proposed
grant-col-fund = Fund
grant-col-category = Category
grant-col-country = Country
grant-col-tier = Tier
grant-col-in-fund = In fund currency
grant-col-paid-on = Paid on
grant-col-method = Method
grant-col-fees = Fees
grant-col-reference = Payment reference
grant-export = Export
grant-export-csv = Export CSV
grant-export-step-up = Exporting needs a fresh code from your authenticator app.

grant-home-unconfirmed = A payment has gone unconfirmed for two weeks: ask whether it arrived
grant-home-report-due = A grant's report on its use is due
grant-home-awaiting-decision = { $count ->
    [one] 1 grant proposal awaits a decision
   *[other] { $count } grant proposals await a decision
}
grant-home-awaiting-ratification = { $count ->
    [one] 1 provisional approval awaits ratification
   *[other] { $count } provisional approvals await ratification
}
grant-home-frozen = { $count ->
    [one] 1 grant is frozen: its provisional approval went unratified
   *[other] { $count } grants are frozen: provisional approvals went unratified
}
grant-home-to-pay = { $count ->
    [one] 1 approved grant awaits payment
   *[other] { $count } approved grants await payment
}
grant-home-provisional-payable = { $count ->
    [one] 1 provisionally approved grant may be paid
   *[other] { $count } provisionally approved grants may be paid
}

fund-heading = Funds
fund-created = The fund was created.
fund-none = No funds yet.
fund-col-fund = Fund
fund-col-period = Period
fund-col-budget = Budget
fund-col-committed = Committed
fund-col-disbursed = Disbursed
fund-col-available = Available
fund-col-restrictions = Restrictions
fund-col-rate = Rate
fund-period = { $from } to { $to }
fund-restrictions = categories: { $categories }; countries: { $countries }
fund-create = Create a fund
fund-name = Name
fund-currency = Currency
fund-budget = Budget
fund-budget-hint = (e.g. 50,000.00)
fund-period-start = Period starts
fund-period-end = Period ends
fund-usd-rate = 1 US dollar =
fund-usd-rate-hint = How much of the fund's currency one US dollar buys; 1 for USD. Tiers and playbook caps are set in dollars.
fund-categories = Categories it may pay for
fund-categories-hint = (none ticked = any)
fund-countries = Countries
fund-countries-hint = (ISO codes, comma-separated, e.g. MM, TH; empty = any)
fund-create-button = Create fund
fund-error-first-day = Give the first day as a date.
fund-error-last-day = Give the last day as a date.
grant-error-method = Choose a payment method from the list.
grant-error-paid-on = Give the day it was paid.
grant-error-decision = Choose approve or reject.
grant-error-fund = Choose a fund from the list.
