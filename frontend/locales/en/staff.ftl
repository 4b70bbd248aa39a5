## staff: en
## The staff and partner pages' shell and the words every page shares.

nav-home = Home
nav-account = Account security
nav-notices = Notices
nav-notices-unread = { $count ->
    [one] Notices (1 new)
   *[other] Notices ({ $count } new)
}
nav-staff-accounts = Staff accounts
nav-audit = Audit trail
nav-partners = Partners
nav-grants = Grants
nav-funds = Funds
nav-insights = Insights
nav-retention = Retention
nav-alumni = Alumni
nav-sign-out = Sign out { $name }
nav-language = Language of these pages
nav-language-change = Change
nav-on-call = On call now: { $names }.
nav-nobody-on-call = Nobody is on call now: urgent cases go to every supervisor.
