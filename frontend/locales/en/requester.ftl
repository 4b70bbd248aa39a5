# Shelter — the requester side. Plain words: the reader may be frightened, reading on a
# small phone, in a second language. Never promise what the network cannot do.

## Everywhere
site-name = Shelter
quick-exit = Quick exit
quick-exit-hint = Leaves this site at once and ends your session.
language-label = Language
staying-safe-link = Staying safe while you use this site
footer-privacy = What you write is encrypted. Only the people handling your request can read it.
back-to-start = Back to the start

## Landing
landing-title = Ask for help, safely
landing-intro = Shelter is a confidential help desk for people who work for their environment and their communities in the Mekong region. If you or someone you work with faces arrest, a court case, threats, being watched, a digital attack, or has to leave home in a hurry, you can ask for help here.
landing-start = Start a request
landing-check = Check on a request you already made

## Intake form
intake-title = Ask for help
intake-intro = You do not need an account. Only what happened and the country are required. Everything else helps us help you faster.
intake-danger-warning = If this phone is taken or checked, some names, places or details could put people in danger. Leave those out until a safe way to talk has been agreed; you can add them then.
intake-required = required
intake-optional = optional
field-kind = What is happening?
kind-arrest = Someone was arrested or is detained
kind-charges = Criminal charges, a lawsuit or a court case
kind-threat = Threats, being followed or watched, or a physical attack
kind-digital = A hacked account, phone or computer, or another digital attack
kind-relocation = I need to leave where I live, urgently
kind-medical = A medical or mental-health emergency
kind-not-sure = Not sure, or something else
field-when = When did it happen?
field-when-hint = For example: last night, 3 days ago, it is still going on.
field-country = Country or territory where it is happening
field-country-choose = Choose a country or territory
country-other = Other countries or territories
field-place = Town or area
field-place-hint = Only if it is safe to say.
field-urgency = How urgent is it?
urgency-immediate = Right now: someone is detained or in immediate danger
urgency-days = Within days: danger is close
urgency-weeks = Within weeks
urgency-information = I need advice or information
field-narrative = What happened, in your own words
field-narrative-hint = Say what you can safely say. Any language is fine.
field-at-risk = Who is at risk?
field-at-risk-hint = For example: me, my family, my colleague. No names if that is not safe.
field-needs = What help do you need?
need-legal = A lawyer or legal advice
need-money = Money for urgent costs
need-relocation = Help to move to a safe place
need-medical = Medical or psychological care
need-digital = Help to secure phones, computers or accounts
need-other = Something else
field-contact = A safe way to contact you
field-contact-hint = For example: a Signal number or an e-mail address that is safe to use. Leave empty if you prefer to check here yourself.
field-contact-time = When is it safe to contact you?
field-no-contact = If you leave this empty, nobody will contact you: you check here yourself with your reference and passphrase.
submit-request = Send my request
submit-note = After sending you get a reference and a passphrase. Write both on paper you can hide, or learn them: they are the only way to see answers.

## After sending
received-title = Your request was received
received-intro = Someone from the network will read it as soon as possible.
received-reference = Your reference
received-passphrase = Your passphrase
received-memorise = Write the reference and the passphrase on paper you can hide, or learn them by heart. They are shown only this once, and nobody can recover the passphrase for you.
received-do-not-store = Do not keep them in your phone's notes, messages or photos if the phone could be taken or checked.
received-next = To see answers and send more information, go to the status page and enter your reference and passphrase.
received-go-status = Go to the status page
received-already = This request was already received. Use the reference and passphrase you were shown the first time.

## Status portal
status-title = Check your request
status-intro = Enter the reference and passphrase you received when you sent your request.
field-reference = Reference
field-passphrase = Passphrase
status-sign-in = Open my request
status-wrong = The reference or the passphrase is not right.
status-locked = Too many attempts. For your safety, checking is paused for a while. Please try again later.
status-heading = Status of your request
state-received = Received. It is waiting to be read.
state-being-handled = Someone from the network is working on your request.
state-referred = With your agreement, the part of your case you agreed to share has been shared with a lawyer or a legal-aid organisation.
state-grant-approved = Financial support has been approved.
state-paid = The financial support has been paid.
state-on-hold = Your request is paused for now. You can still send messages.
state-closed = Your request is closed. You can send a message if you need more help.
messages-heading = Messages
message-from-you = You
message-from-team = The network
messages-none = No messages yet.
message-label = Write a message
message-send = Send message
message-sent = Your message was sent.
add-info-heading = Add a document or photo
add-info-hint = Photos or PDF documents, up to { $max_mb } MB each. We remove location data from photos, but a photo still shows what is in it: faces, signs, places. A PDF can contain the name of the person or computer that made it.
attachment-label = File
attachment-send = Add file
attachment-added = The file was added.
sign-out = Sign out
session-ended = Your session has ended. Enter your reference and passphrase again.

## Staying safe
safety-title = Staying safe
safety-tor = Tor Browser hides which sites you visit from anyone watching your connection. Use it only if having it on your phone is safe where you are: at a checkpoint the app itself can draw attention. In China, Tor is blocked.
safety-history = When you are done, press "Quick exit" or close the browser and clear its history.
safety-shared = On a shared or borrowed phone, use a private window and sign out when you finish.
safety-passphrase = Never send your passphrase to anyone. The network will never ask you for it.
safety-seized = If your phone could be taken, do not keep your reference and passphrase on it.

## Errors
error-narrative-required = Please describe what happened.
error-narrative-too-long = Please shorten the description to at most { $max } characters.
error-country-required = Please choose the country or territory.
error-country-invalid = Please choose a country or territory from the list.
error-field-too-long = This answer is too long: at most { $max } characters.
error-invalid-choice = Please choose one of the options given.
error-too-many-files = { $max ->
    [one] You can add only one file to a request.
   *[other] You can add at most { $max } files to a request.
}
error-file-too-large = The file is too large: at most { $max_mb } MB.
error-file-type = This type of file is not accepted. Please send a photo (JPEG, PNG, WebP) or a PDF.
error-rate-limited = Too many requests from this connection. Please wait a few minutes and try again.
error-body-too-large = What you sent is too large.
error-message-empty = Please write a message.
error-form-expired = This form has expired. Please go back, reload the page and try again.
error-generic = Something went wrong. Nothing was saved. Please try again.

## Referral to a lawyer (consent)
referral-heading = Sharing your case with a lawyer or a legal-aid organisation
referral-intro = The network would like to share part of your case with the partner below, so that they can give you legal help. Only what is listed below would be shared, and only with this partner. Nothing is shared unless you agree.
referral-partner = Partner
referral-partner-lawyer = a lawyer
referral-partner-organisation = a legal-aid organisation
referral-will-share = What would be shared
referral-consent = I agree to share this
referral-refuse = Do not share
referral-withdraw = Stop sharing
referral-status-awaiting_consent = Waiting for your answer
referral-status-sent = Shared; waiting for the partner's answer
referral-status-accepted = The partner is helping with your case
referral-status-declined = The partner could not take your case; the network will look for another
referral-status-concluded = The partner has finished their work
referral-status-withdrawn = Not shared
referral-answered = Your answer was recorded.
packet-kind = What is happening
packet-country = Country or territory
packet-legal_help = Legal help needed
packet-summary = Summary written by the network
packet-names = Who is at risk
packet-contact = How to contact you
packet-narrative = Your own words

## Emergency support (grants)
grant-heading = Support from the network
grant-intro = Support the network decided to give you. Please tell us when it arrives, and later, briefly, how it was used. The network will never ask you for money.
grant-amount = Amount
grant-status = Status
grant-category-legal_fees = Lawyer's fees
grant-category-bail = Bail
grant-category-relocation = Moving to safety
grant-category-medical = Medical care
grant-category-security_measures = Security measures
grant-category-subsistence = Living costs
grant-category-digital_security = Digital security
grant-category-other = Other support
grant-status-proposed = Being considered
grant-status-approved = Approved; payment is being arranged
grant-status-provisionally_approved = Agreed for now; a second check is needed before it can be paid
grant-status-frozen = On hold while the network checks it
grant-status-rejected = Not approved
grant-status-disbursed = Sent: please confirm when it arrives
grant-status-receipt_confirmed = Received
grant-status-reported = Complete: thank you
grant-status-cancelled = Cancelled
grant-status-reversed = The payment did not go through or came back. You did nothing wrong; the network will write to you about what happens next
grant-confirm = I received it
grant-confirmed-notice = Thank you. We recorded that you received it.
grant-report-label = How was the support used? A few sentences are enough. Do not write names or places that could put anyone at risk.
grant-report-send = Send report
grant-reported-notice = Thank you for your report.
grant-report-due = Report due by { $date }

## Being told about news (optional)
news-heading = Be told when there is news (optional)
news-warning = We would send only a short greeting saying there is something new: never your reference, your name, anything about your request, or our name. But anyone who can see this phone, this e-mail or this messenger account will see that a message came. If your phone may be taken or checked, leave this off.
news-channel = How should we tell you?
news-channel-none = Do not tell me. I will check here myself.
news-channel-email = By e-mail
news-channel-webhook = By messenger (Signal, Telegram or Matrix)
news-address = E-mail address or messenger handle
news-address-hint = For example: name@example.org, or a Signal number like +66812345678.
news-on = When there is news, we tell you at the address you gave.
news-off = You are not told about news. You can check here with your reference and passphrase.
news-save = Tell me when there is news
news-stop = Stop telling me
news-saved = Saved. We will tell you when there is news.
news-stopped = You will not be told about news any more. The address was deleted.
error-news-address = Please write an e-mail address like name@example.org.
error-news-handle = Please write a messenger handle or number: letters, numbers and + @ . _ : - only.
## Deleting one's own request
deletion-heading = Delete this request
deletion-intro = You can ask us to delete this request and everything you wrote. It is deleted { $days ->
    [one] one day
   *[other] { $days } days
} after you ask; until then you can change your mind here.
deletion-button = Delete my request
deletion-scheduled = This request will be deleted after { $date }, unless the network must keep it for legal reasons.
deletion-cancel = Keep my request
deletion-kept-grants = If you received money, a record of the payment (amount and date, no names or details) stays in the accounts.
deletion-requested-notice = We will delete this request after the waiting period.
deletion-cancelled-notice = Your request will be kept.

# words (issue 24)
landing-point-account = You do not need an account. Only what happened and the country are required.
landing-point-danger = If this phone is taken or checked, some names, places or details could put people in danger: leave those out until a safe way to talk has been agreed.
landing-point-keep = You will get a reference and a passphrase to check on your request later. Write them on paper you can hide, or learn them.
landing-already = Already asked?
landing-staff = Staff sign-in
received-passphrase-words = { $count ->
    [one] It is one English word.
   *[other] It is { $count } English words with a space between them.
} Type them exactly, in this order.
received-passphrase-digits = { $count ->
    [one] It is one group of digits.
   *[other] It is { $count } groups of digits.
} Type them in this order.
received-lost = If you lose the passphrase, nobody can open this request for you. You can send a new request and say that you asked before.
safety-save-never = If your browser offers to save the passphrase, choose "Never".
referral-no-is-fine = Saying no is fine: the network keeps helping you in other ways.
referral-withdraw-means = If you agree, you can stop sharing later: the partner can then no longer open what was shared and receives nothing more, but cannot forget what it has already read.
error-title-not-found = Page not found
error-text-not-found = There is nothing at this address.
error-title-unavailable = Briefly unavailable
error-text-unavailable = Nothing you sent was lost. Please try again in a minute.
error-title-wait = Please wait
error-title-failed = That did not work
error-text-failed = Please go back and try again.
error-title-broken = Something went wrong
error-code = Technical code for the network's technicians, only if they ask: { $code }. This is not your reference.
date-time-utc = { $date }, { $time } UTC
country-KH = Cambodia
country-CN = China
country-LA = Laos
country-MM = Myanmar
country-TH = Thailand
country-VN = Vietnam
country-BD = Bangladesh
country-HK = Hong Kong
country-IN = India
country-ID = Indonesia
country-JP = Japan
country-MY = Malaysia
country-NP = Nepal
country-PH = Philippines
country-SG = Singapore
country-KR = South Korea
country-TW = Taiwan
country-TL = Timor-Leste
# requester-side (issue 21)
received-reply-hours = Someone from the network will read your request and answer within { $hours } hours.
received-reply-days = Someone from the network will read your request and answer within { $days } days.
received-digits-hint = The passphrase is only digits. You can type them with or without spaces, with your own language's digits or with 0–9.
received-meanwhile-heading = While you wait
received-meanwhile = Write down, somewhere safe, what you know: where and when it happened, who was there. Tell only people you trust. Check the status page for messages. If someone is in danger right now, also contact a lawyer or people you trust nearby.
intake-error-summary = Please check these answers
intake-no-contact-note = If you give no way to contact you, nobody will contact you: check the status page with your reference and passphrase.
status-lost-heading = Lost your passphrase?
status-lost-passphrase = Nobody can recover it, not even the network. If you lost it, send a new request and say in it that you sent one before and roughly when; the network will connect the two.
portal-sign-out = Sign out
times-local = Times are in your country's time (UTC{ $offset }).
times-in-utc = Times are in UTC.
packet-other-language = The network wrote this in another language. Before you agree, you can ask them in a message to write it in your language.
grant-paid-how = How
grant-paid-on = Paid in
grant-method-bank_transfer = By bank transfer
grant-method-mobile_money = By mobile money
grant-method-cash_intermediary = In cash, through a trusted person
grant-method-direct_to_provider = Directly to the lawyer, clinic or service, not to you
grant-provider-confirm-note = This money was paid to them, not to you. Confirm only when they have told you it arrived.
grant-confirm-provider = They told me it arrived
# when the requester is in danger (issue 16)
duress-heading = A second passphrase, for when you are forced
duress-intro = You can choose a second passphrase of your own. If someone ever makes you open this page, type the second passphrase instead of yours: the page will show your request as closed, with nothing on it, and the network will quietly learn that you may be in danger.
duress-remember = Choose words you will remember under stress, and never write them next to your reference. Saving it again replaces the old one.
duress-field = Second passphrase
duress-hint = At least 8 characters, different from the passphrase you were given.
duress-button = Save the second passphrase
duress-saved = The second passphrase is saved.
error-duress-short = The second passphrase needs at least 8 characters.
error-duress-long = The second passphrase can have at most 200 characters.
error-duress-same = The second passphrase must be different from your passphrase.
intake-duress-legend = A second passphrase, for when you are forced
check-in-heading = Checking in
check-in-due = The network asked you to check in from time to time. Please check in before { $date }.
check-in-safe-word = Safe word, if you agreed one with the network
check-in-button = I am all right
check-in-done = Thank you. The network can see that you checked in.
check-in-none = Nothing to check in to now.
onion-address = You can also open this site with Tor Browser at this address:
safety-if-seized-heading = If your phone is taken
safety-if-seized = As soon as it is safe, tell the network from another phone or computer. They can make your request look closed to anyone who opens it, and stop any messages to you.
safety-clear-browser = To clear the browser: open its settings, find "History" or "Privacy", and delete the browsing data for all time. In a private window, closing all its tabs is enough.
safety-quick-exit = The "Quick exit" button at the top of every page leaves this site at once and asks the browser to forget it. Afterwards, close the tab as well.
safety-country-heading = Advice for where you are
safety-country-choose = Country or territory
safety-country-show = Show the advice
safety-country-MM-1 = Phones are often checked at checkpoints and after arrests, including photos, messages and apps. Before you travel, sign out, clear the history and keep nothing from this site on the phone.
safety-country-MM-2 = The internet may be watched or cut. A VPN or Tor Browser can help, but only if having such an app on your phone is safe.
safety-country-TH-1 = If police take your phone, ask for a lawyer. Do not give anyone your reference or passphrase.
safety-country-TH-2 = Use a private window, and clear the history after each visit, also on a phone you share with family.
safety-country-KH-1 = Phones taken at an arrest are often searched. Keep your reference and passphrase on paper in a safe place, not on the phone.
safety-country-KH-2 = Use a private window, and clear the history after each visit.
safety-country-LA-1 = Internet use is closely watched. Open this site only in a private window, sign out and clear the history each time.
safety-country-LA-2 = If you are called in for questioning, assume your phone will be looked at: keep nothing from this site on it.
safety-country-VN-1 = Phones, messages and online accounts are often checked after an arrest or a summons. Keep nothing from this site on the phone.
safety-country-VN-2 = Open this site only in a private window, sign out and clear the history each time.
safety-country-CN-1 = Tor is blocked, and a VPN is itself a risk. Use one only if it is safe for you, and clear the history after each visit.
safety-country-CN-2 = Phones may be checked at stations, borders and after a summons. Keep nothing from this site on the phone.
