//! Proposing a referral: the packet holds the minimal fields plus those chosen explicitly,
//! sealed with the case key.

use serde_json::{Map, Value, json};
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use shelter_shared::case::CaseState;
use shelter_shared::referral::{self as machine, PacketField, ReferralState, ReferralTransition};
use uuid::Uuid;

use super::{purpose_field, refused};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::cases::Cases;
use crate::cases::triage::{Staff, WorkError};
use crate::policy::CaseAccess;

impl Cases {
    /// A handler proposes referring a case: the packet holds the minimal fields plus those
    /// chosen explicitly, and goes to a supervisor first if the playbook says so.
    pub async fn propose_referral(
        &self,
        staff: Staff<'_>,
        case_id: Uuid,
        partner_id: Uuid,
        purpose: &str,
        summary: &str,
        extra_fields: &[PacketField],
    ) -> Result<Uuid, WorkError> {
        let (purpose, summary) = (purpose.trim(), summary.trim());
        if purpose.is_empty() || summary.is_empty() || purpose.chars().count() > 1000 || summary.chars().count() > 5000
        {
            return Err(WorkError::invalid(
                ErrorCode::InvalidReferral,
                "Give a purpose (up to 1000 characters) and a summary (up to 5000).",
            ));
        }
        let mut tx = self.db.begin().await?;
        let (case, access) = self.open_case(&mut tx, staff, case_id).await?;
        if access != CaseAccess::Full {
            return Err(WorkError::Forbidden("Only the assigned handler or a supervisor refers a case.".into()));
        }
        if case.status == CaseState::Closed {
            return Err(WorkError::Conflict("A closed case is not referred.".into()));
        }
        let partner_ok = sqlx::query_scalar!(
            r#"select exists (select 1 from partner where partner_id = $1 and active) as "exists!""#,
            partner_id,
        )
        .fetch_one(&mut *tx)
        .await?;
        if !partner_ok {
            return Err(WorkError::invalid(ErrorCode::InvalidPartner, "Choose a partner from the directory."));
        }
        let mut fields: Vec<PacketField> = PacketField::MINIMAL.to_vec();
        fields.extend(extra_fields.iter().copied().filter(|f| !PacketField::MINIMAL.contains(f)));
        fields.dedup();
        let key = self.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let sealed_fields = sqlx::query!("select field, ciphertext from case_field where case_id = $1", case_id)
            .fetch_all(&mut *tx)
            .await?;
        let field_text = |name: &str| -> Result<Option<String>, WorkError> {
            sealed_fields
                .iter()
                .find(|f| f.field == name)
                .map(|f| key.open_text(&f.field, &f.ciphertext).map_err(WorkError::from))
                .transpose()
        };
        let mut packet = Map::new();
        for field in &fields {
            let value = match field {
                PacketField::Kind => Some(case.kind.clone()),
                PacketField::Country => Some(case.country.clone()),
                PacketField::LegalHelp => Some(purpose.to_owned()),
                PacketField::Summary => Some(summary.to_owned()),
                PacketField::Names => field_text("at_risk")?,
                PacketField::Contact => field_text("contact")?,
                PacketField::Narrative => field_text("narrative")?,
            };
            if let Some(value) = value {
                packet.insert(field.as_str().to_owned(), Value::String(value));
            }
        }
        let referral_id = Uuid::new_v4();
        let packet_sealed =
            key.seal(&format!("referral-packet:{referral_id}"), Value::Object(packet).to_string().as_bytes())?;
        let purpose_sealed = key.seal(&purpose_field(referral_id), purpose.as_bytes())?;
        // A kind no playbook knows (cases.kind has no check) is treated as "not sure".
        let needs_approval = self
            .playbooks
            .get(case.kind.parse().unwrap_or(shelter_shared::intake::IncidentKind::NotSure))
            .is_none_or(|p| p.referral_requires_approval);
        let actor = crate::policy::referral_actor(staff.roles);
        let status =
            machine::next(ReferralState::Draft, ReferralTransition::Submit, actor, needs_approval).map_err(refused)?;
        let now = self.clock.now();
        sqlx::query!(
            "insert into referral (referral_id, case_id, partner_id, status, purpose_sealed, fields, packet_sealed, proposed_by,
                                   created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            referral_id,
            case_id,
            partner_id,
            status as _,
            purpose_sealed,
            fields.as_slice() as _,
            packet_sealed,
            staff.id,
            now,
        )
        .execute(&mut *tx)
        .await?;
        let field_names: Vec<&str> = fields.iter().map(|f| f.as_str()).collect();
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::ReferralProposed)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({"referral": referral_id, "partner": partner_id, "fields": field_names, "status": status}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(referral_id)
    }
}
