//! Who has had a hand in a grant, read in the acting transaction, and the policy's answer
//! for one person: the services refuse with it and the pages draw their buttons from it.

use shelter_shared::audit::AuditAction;
use shelter_shared::grant::Hands;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{GrantRow, Grants};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::cases::triage::{Staff, WorkError};
use crate::policy::{self, CaseAccess, CaseFacts, GrantFacts, GrantMove, Refusal};

/// A grant's hands and its case's facts for one reader.
#[derive(Debug, Clone)]
pub(crate) struct GrantContext {
    pub assignee: Option<Uuid>,
    pub critical: bool,
    pub conflicted: bool,
    /// Supervisors whose approval stands (voided ones excluded).
    pub approvers: Vec<Uuid>,
    /// Everyone whose decision stands.
    pub deciders: Vec<Uuid>,
    pub payer: Option<Uuid>,
    /// When the reader's account got its present credentials.
    pub my_credentials_since: Option<chrono::DateTime<chrono::Utc>>,
    /// The reader's account is too new to count toward a tier B or C approval.
    pub new_account: bool,
    /// Confirmations that stand for the case's requester ([`crate::vouch::standing`]).
    pub confirmations: usize,
    /// Confirmations the grant's tier needs before approval.
    pub confirmations_needed: usize,
}

/// A finance officer who may still release a grant's payment.
#[derive(Debug, Clone)]
pub(crate) struct Payer {
    pub staff_user_id: Uuid,
    pub display_name: String,
}

impl GrantContext {
    pub(crate) fn case_access(&self, staff: Staff<'_>) -> CaseAccess {
        policy::case_access(
            staff.roles,
            CaseFacts { is_assignee: self.assignee == Some(staff.id), conflicted: self.conflicted },
        )
    }

    /// The policy's facts about `row` for `staff`.
    pub(crate) fn facts<'a>(&'a self, row: &'a GrantRow, staff: Staff<'_>) -> Result<GrantFacts<'a>, WorkError> {
        Ok(GrantFacts {
            state: row.status,
            case_access: self.case_access(staff),
            is_assignee: self.assignee == Some(staff.id),
            new_account: self.new_account,
            conflicted: self.conflicted,
            hands: self.hands(row),
            decided: self.deciders.contains(&staff.id),
            ratification_owed: row.provisional && row.ratified_at.is_none(),
            critical: self.critical,
            approvals_needed: usize::try_from(row.approvals_needed).unwrap_or(usize::MAX),
            approvals_given: self.approvers.len(),
            confirmations: self.confirmations,
            confirmations_needed: self.confirmations_needed,
        })
    }

    pub(crate) fn hands<'a>(&'a self, row: &'a GrantRow) -> Hands<'a, Uuid> {
        Hands {
            proposer: &row.proposed_by,
            approvers: &self.approvers,
            payee_editors: &row.payee_editors,
            payer: self.payer.as_ref(),
        }
    }

    /// Whether `staff` may make `step`; the refusal as the service answers it.
    pub(crate) fn check(&self, row: &GrantRow, staff: Staff<'_>, step: GrantMove) -> Result<(), WorkError> {
        policy::grant_move(staff.roles, staff.id, &self.facts(row, staff)?, step).map_err(|refusal| match refusal {
            Refusal::Hidden => WorkError::NotFound,
            Refusal::Forbidden(message) => WorkError::Forbidden(message),
            Refusal::WrongState(message) => WorkError::Conflict(message),
        })
    }

    /// Every move `staff` may make now (the buttons a page shows).
    pub(crate) fn moves(&self, row: &GrantRow, staff: Staff<'_>) -> Vec<GrantMove> {
        GrantMove::ALL.iter().copied().filter(|step| self.check(row, staff, *step).is_ok()).collect()
    }
}

impl Grants {
    /// Answers a refused move; a refusal of the person (not of the state) is audited under
    /// the case, so every attempt at a second hand on a grant leaves a trace. Call it after
    /// the transaction is dropped: the entry commits on its own.
    pub(crate) async fn refused(
        &self,
        staff: Staff<'_>,
        row: &GrantRow,
        step: GrantMove,
        error: WorkError,
    ) -> WorkError {
        if let WorkError::Forbidden(reason) = &error {
            let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::AuthorisationRefused)
                .subject(Subject { kind: "case", id: row.case_id.to_string() })
                .details(serde_json::json!({"grant": row.grant_id, "move": step, "reason": reason}));
            if let Err(audit) = audit::record_alone(&self.cases.db, entry, self.now()).await {
                return WorkError::Internal(audit.into());
            }
        }
        error
    }

    /// Loads the grant's context and checks `step`, refusing (audited) as [`Grants::refused`] says.
    pub(crate) async fn allow(
        &self,
        tx: sqlx::Transaction<'static, sqlx::Postgres>,
        row: &GrantRow,
        staff: Staff<'_>,
        step: GrantMove,
    ) -> Result<(sqlx::Transaction<'static, sqlx::Postgres>, GrantContext), WorkError> {
        let mut tx = tx;
        let context = self.context(&mut tx, row, staff.id).await?;
        match context.check(row, staff, step) {
            Ok(()) => Ok((tx, context)),
            Err(error) => {
                drop(tx);
                Err(self.refused(staff, row, step, error).await)
            }
        }
    }

    /// The grant's hands and its case's facts for `staff`, in `conn`'s transaction.
    pub(crate) async fn context(
        &self,
        conn: &mut PgConnection,
        row: &GrantRow,
        staff: Uuid,
    ) -> Result<GrantContext, WorkError> {
        let facts = sqlx::query!(
            r#"select c.assignee, coalesce(c.severity = 'critical', false) as "critical!",
                    exists (select 1 from case_conflict x where x.case_id = c.case_id and x.staff_user_id = $2)
                        as "conflicted!",
                    array(select supervisor from grant_decision d where d.grant_id = $1 and d.decision = 'approve')
                        as "approvers!",
                    array(select supervisor from grant_decision d where d.grant_id = $1) as "deciders!",
                    (select released_by from disbursement p where p.grant_id = $1) as payer,
                    (select credentials_since from staff_user u where u.staff_user_id = $2) as my_credentials_since
             from cases c where c.case_id = $3"#,
            row.grant_id,
            staff,
            row.case_id
        )
        .fetch_one(&mut *conn)
        .await?;
        let mut context = GrantContext {
            assignee: facts.assignee,
            critical: facts.critical,
            conflicted: facts.conflicted,
            approvers: facts.approvers,
            deciders: facts.deciders,
            payer: facts.payer,
            my_credentials_since: facts.my_credentials_since,
            new_account: false,
            confirmations: 0,
            confirmations_needed: 0,
        };
        context.confirmations = crate::vouch::standing::standing(conn, row.case_id, self.now()).await?;
        context.new_account =
            context.my_credentials_since.is_some_and(|since| self.now() - since < self.rules.new_approver_wait);
        context.confirmations_needed = self.rules.vouches.needed(row.tier);
        Ok(context)
    }

    /// The finance officers who may still release the payment: active, confirmed, not
    /// conflicted on the case, and holding no other hand on the grant.
    pub(crate) async fn payers(
        &self,
        conn: &mut PgConnection,
        row: &GrantRow,
        context: &GrantContext,
    ) -> Result<Vec<Payer>, WorkError> {
        let finance = sqlx::query_as!(
            Payer,
            "select u.staff_user_id, u.display_name from staff_user u
             where 'finance' = any(u.roles) and u.status = 'active' and not u.pending_confirmation
               and not exists (select 1 from case_conflict x where x.case_id = $1 and x.staff_user_id = u.staff_user_id)
             order by u.display_name",
            row.case_id
        )
        .fetch_all(conn)
        .await?;
        let hands = context.hands(row);
        Ok(finance.into_iter().filter(|p| hands.may_pay(&p.staff_user_id).is_ok()).collect())
    }
}

impl Grants {
    /// A finance officer (or supervisor) who sees a grant but not its case declares a
    /// conflict of interest through the grant: the case's conflict list takes them, so the
    /// grant, its case and their audit entries disappear from everything they read.
    pub async fn declare_conflict(&self, staff: Staff<'_>, grant_id: Uuid) -> Result<(), WorkError> {
        let mut tx = self.cases.db.begin().await?;
        let row = self.lock(&mut tx, grant_id).await?;
        let context = self.context(&mut tx, &row, staff.id).await?;
        let sees = staff.roles.contains(&shelter_shared::staff::Role::Finance)
            || context.case_access(staff) == CaseAccess::Full;
        if context.conflicted || !sees {
            return Err(WorkError::NotFound);
        }
        let now = self.now();
        sqlx::query!(
            "insert into case_conflict (case_id, staff_user_id, declared_at) values ($1, $2, $3)",
            row.case_id,
            staff.id,
            now
        )
        .execute(&mut *tx)
        .await?;
        let details = serde_json::json!({"grant": grant_id, "declared_through": "grant"});
        self.audit(&mut tx, crate::audit::Actor::Staff(staff.id), AuditAction::ConflictDeclared, &row, None, details)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
