//! The closed set of things the audit trail records.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! audit_actions {
    ($($variant:ident => $name:literal, $decision:literal, $doc:literal;)*) => {
        /// An action recorded in the audit trail.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum AuditAction {
            $(#[doc = $doc] #[serde(rename = $name)] $variant,)*
        }

        impl AuditAction {
            /// Every action.
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant,)*];

            /// The stable dotted name stored in the trail.
            pub fn as_str(self) -> &'static str {
                match self { $(AuditAction::$variant => $name,)* }
            }

            /// Whether this is a decision, which must carry a written rationale.
            pub fn is_decision(self) -> bool {
                match self { $(AuditAction::$variant => $decision,)* }
            }

            /// What the action is, in one sentence (the same words as its documentation).
            pub fn describe(self) -> &'static str {
                match self { $(AuditAction::$variant => $doc,)* }
            }
        }
    };
}

audit_actions! {
    SignIn => "auth.sign_in", false, "A staff member signed in.";
    SignInFailed => "auth.sign_in_failed", false, "A sign-in attempt failed.";
    SignInLocked => "auth.sign_in_locked", false, "A sign-in name was locked after repeated failures.";
    SignOut => "auth.sign_out", false, "A session was ended by its owner.";
    SignOutEverywhere => "auth.sign_out_everywhere", false, "Every session of an account was ended by its owner.";
    StepUp => "auth.step_up", false, "A fresh second factor was confirmed.";
    PasswordChanged => "auth.password_changed", false, "A staff member changed their password.";
    RecoveryCodesRegenerated => "auth.recovery_codes_regenerated", false, "New recovery codes were issued.";
    EnrolmentStarted => "auth.enrolment_started", false, "A password and TOTP secret were chosen during enrolment.";
    Enrolled => "auth.enrolled", false, "Enrolment was confirmed; the account became active.";
    AuthorisationRefused => "auth.refused", false, "The policy refused an action.";
    UserCreated => "user.created", false, "A staff account was created.";
    UserDisabled => "user.disabled", false, "A staff account was disabled and its sessions ended.";
    UserTwoFactorReset => "user.two_factor_reset", false, "A staff account's second factor was reset.";
    UserUnlocked => "user.unlocked", false, "A sign-in lock was lifted.";
    UserConfirmed => "user.confirmed", false, "A supervisor confirmed a privileged account an administrator created or reset.";
    UserPartnerLinked => "user.partner_linked", false, "A partner account was linked to its organisation in the directory.";
    StepUpFailed => "auth.step_up_failed", false, "A step-up code was wrong or came while attempts were paused.";
    StepUpSessionEnded => "auth.step_up_session_ended", false, "A session was ended after a run of failed step-up attempts.";
    AuditExported => "audit.exported", false, "A view of the audit trail was exported.";
    CaseCreated => "case.created", false, "A requester filed a request; a case was created.";
    RequesterSignIn => "requester.sign_in", false, "A requester opened their case in the portal.";
    RequesterSignInFailed => "requester.sign_in_failed", false, "A portal sign-in failed.";
    RequesterSignOut => "requester.sign_out", false, "A requester closed their portal session.";
    RequesterMessage => "case.requester_message", false, "A requester sent a message.";
    AttachmentAdded => "case.attachment_added", false, "A file was added to a case.";
    CaseRead => "case.read", false, "A staff member read a case's confidential content.";
    CaseClaimed => "case.claimed", false, "A handler took an unassigned case.";
    CaseAcknowledged => "case.acknowledged", false, "A case was acknowledged.";
    CaseTriaged => "case.triaged", true, "A case was triaged: severity, kind, playbook, assignee.";
    CaseHeld => "case.held", true, "A case was put on hold.";
    CaseResumed => "case.resumed", true, "A case on hold was resumed.";
    CaseClosed => "case.closed", true, "A case was closed with an outcome.";
    CaseReopened => "case.reopened", true, "A closed case was reopened.";
    CaseStaffMessage => "case.staff_message", false, "A staff member wrote to the requester.";
    CaseNoteAdded => "case.note_added", false, "An internal note was added.";
    CaseTaskDone => "case.task_done", false, "A checklist task was done.";
    CaseTaskUndone => "case.task_undone", true, "A checklist task marked done was reopened by the person who did it.";
    CaseUnclaimed => "case.unclaimed", false, "The assigned handler gave a case back to the queue.";
    CaseReassigned => "case.reassigned", true, "A supervisor assigned a case to another handler.";
    ConflictDeclared => "case.conflict_declared", false, "A staff member declared a conflict of interest.";
    SlaBreached => "case.sla_breached", false, "An SLA deadline passed unmet.";
    PartnerCreated => "partner.created", false, "A partner was added to the directory.";
    ReferralProposed => "referral.proposed", false, "A handler proposed referring a case to a partner.";
    ReferralApproved => "referral.approved", true, "A supervisor approved a referral.";
    ReferralConsented => "referral.consented", false, "Consent to share the packet was given; it was sent.";
    ReferralRefused => "referral.refused", false, "The requester refused to share the packet.";
    ReferralWithdrawn => "referral.withdrawn", false, "A referral was withdrawn; the partner's access ended.";
    ReferralRead => "referral.read", false, "A partner read a referral packet.";
    ReferralAccepted => "referral.accepted", false, "The partner accepted a referral.";
    ReferralDeclined => "referral.declined", false, "The partner declined a referral.";
    ReferralConcluded => "referral.concluded", false, "The partner reported the outcome.";
    ReferralMessage => "referral.message", false, "A message about a referral between the partner and the network.";
    PartnerCapacityChanged => "partner.capacity_changed", false, "A partner's capacity changed.";
    AuditReviewed => "audit.reviewed", true, "A supervisor reviewed a recorded decision.";
    FundCreated => "fund.created", false, "An administrator created a fund.";
    GrantProposed => "grant.proposed", true, "A handler proposed a grant.";
    GrantApproved => "grant.approved", true, "A supervisor approved a grant (it may need more approvals).";
    GrantProvisionallyApproved => "grant.provisionally_approved", true, "A supervisor gave a critical case's grant a provisional single approval.";
    GrantRatified => "grant.ratified", true, "A supervisor ratified a provisional approval.";
    GrantRejected => "grant.rejected", true, "A supervisor rejected a grant.";
    GrantFrozen => "grant.frozen", false, "A provisional approval went unratified for 72 hours; the grant froze.";
    GrantRatificationOverdue => "grant.ratification_overdue", false, "A grant paid on a provisional approval went unratified for 72 hours.";
    GrantPayeeChanged => "grant.payee_changed", false, "A grant's payee or payment details changed.";
    GrantApprovalsVoided => "grant.approvals_voided", false, "A payee change after approval voided the approvals; the grant went back for approval.";
    GrantPayeeRead => "grant.payee_read", false, "A finance officer read a payee's payment details.";
    GrantDisbursed => "grant.disbursed", false, "Finance released a grant's payment.";
    GrantReceiptConfirmed => "grant.receipt_confirmed", false, "Receipt of a payment was confirmed.";
    GrantReported => "grant.reported", false, "A report on how a grant was used arrived.";
    GrantReceiptDue => "grant.receipt_due", false, "A payment has gone unconfirmed for 14 days.";
    GrantReportDue => "grant.report_due", false, "A grant's use window ended without a report.";
    GrantCancelled => "grant.cancelled", true, "An unpaid grant was cancelled; its reservation was released.";
    GrantReversed => "grant.reversed", true, "A paid grant was reversed by a new ledger entry.";
    GrantsExported => "grant.exported", false, "The grant register was exported.";
    OnCallChanged => "on_call.changed", false, "An administrator added or removed a shift of the on-call rota.";
    NoticeRetried => "notice.retried", false, "An administrator queued a failed notice delivery again.";
    InsightsViewed => "report.insights_viewed", false, "Someone looked at the insights of a period and filter.";
    DonorReportViewed => "report.donor_viewed", false, "Someone read the donor report of a period.";
    DonorReportExported => "report.donor_exported", false, "Someone exported the donor report of a period.";
    NoticePreferencesChanged => "notice.preferences_changed", false, "Someone changed where, when or how their notices reach them.";
    RequesterNewsOn => "case.requester_news_on", false, "A requester asked to be told when there is news.";
    RequesterNewsOff => "case.requester_news_off", false, "A requester stopped being told about news; the address was deleted.";
    LegalHoldPlaced => "case.legal_hold_placed", true, "A supervisor placed a legal hold: the case is not purged while it lasts.";
    LegalHoldLifted => "case.legal_hold_lifted", true, "A second supervisor lifted a legal hold.";
    CasePurged => "case.purged", false, "A case's data key and personal data were destroyed; its statistics remain.";
    DeletionRequested => "case.deletion_requested", false, "The requester asked for their request to be deleted.";
    DeletionCancelled => "case.deletion_cancelled", false, "The requester cancelled their deletion request.";
    PaymentReferenceErased => "grant.payment_reference_erased", false, "After the accounting period, a purged case's payment lost its external reference.";
    KeyRotationStarted => "keys.rotation_started", false, "An operator started replacing the master key.";
    KeysRotated => "keys.rotated", false, "The new master key took over; the old one opens nothing here any more.";
    KeyRotationAbandoned => "keys.rotation_abandoned", false, "An operator abandoned an unfinished master key rotation.";
    BackupRestored => "backup.restored", false, "The database was restored from a backup.";
    AlumniMemberAdded => "alumni.member_added", false, "A member was added to the alumni registry (by an administrator, or an import).";
    AlumniStatusRecorded => "alumni.status_recorded", false, "A status entry was added to a member's timeline.";
    AlumniMemberRead => "alumni.member_read", false, "Someone read a member's sealed details.";
    AlumniImported => "alumni.imported", false, "Members were imported from a CSV file (counts only).";
    AlumniExported => "alumni.exported", false, "The alumni registry was exported.";
    AlumniLinked => "alumni.linked", true, "A case was linked to a registry member.";
    VouchersAsked => "case.vouchers_asked", false, "A handler asked trusted people to vouch for the requester.";
    VouchAnswered => "case.vouch_answered", false, "A voucher answered: confirms, cannot confirm, or is concerned.";
    AlumniMemberUpdated => "alumni.member_updated", false, "An import changed a registry member.";
    DuressPassphraseSet => "requester.duress_passphrase_set", false, "A requester set or replaced their second (duress) passphrase.";
    DuressSignal => "case.duress_signal", false, "A duress signal: a sign-in with the second passphrase, or a check-in with a wrong safe word.";
    DuressCleared => "case.duress_cleared", true, "Staff cleared a case's duress alert.";
    CustodySet => "case.custody_set", true, "Custody mode: the requester may be detained or their device seized.";
    CustodyLifted => "case.custody_lifted", true, "A supervisor lifted custody mode.";
    CustodySignIn => "requester.custody_sign_in", false, "Someone signed in, or tried to, to a case in custody mode.";
    CheckInsScheduled => "case.check_ins_scheduled", false, "Staff asked the requester to check in on a schedule.";
    CheckInsEnded => "case.check_ins_ended", false, "Check-ins ended: by staff, at their end date, or with the case.";
    CheckedIn => "case.checked_in", false, "The requester checked in.";
    CheckInMissed => "case.check_in_missed", false, "A check-in was missed past its grace period.";
    CalmSessionAction => "requester.calm_session_action", false, "A calm-view session asked for a change that was not made.";
    CaseSummaryRead => "case.summary_read", false, "Someone read a case's printable summary (only the parts they may see).";
}

/// A name that is not an audit action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown audit action {0:?}")]
pub struct UnknownAction(pub String);

impl FromStr for AuditAction {
    type Err = UnknownAction;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        AuditAction::ALL.iter().copied().find(|a| a.as_str() == name).ok_or_else(|| UnknownAction(name.to_owned()))
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A supervisor's verdict on a recorded decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewVerdict {
    /// The decision and its rationale hold.
    Reviewed,
    /// Something about the decision needs attention.
    Concern,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            assert_eq!(action.as_str().parse::<AuditAction>(), Ok(*action));
            assert!(seen.insert(action.as_str()), "{action} twice");
        }
    }
}
