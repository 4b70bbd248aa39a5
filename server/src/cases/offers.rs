//! The partners offered for a case's referral: the case decides the order (its country and
//! language), so only someone who may refer it (who sees it in full) may ask.

use shelter_shared::partner::PartnerOffer;
use uuid::Uuid;

use super::Cases;
use super::triage::{Staff, WorkError};
use crate::policy::CaseAccess;

impl Cases {
    /// The partners to offer for `case_id`, those of its country first.
    pub async fn partner_offers(&self, staff: Staff<'_>, case_id: Uuid) -> Result<Vec<PartnerOffer>, WorkError> {
        let mut conn = self.db.acquire().await?;
        let (case, access) = self.open_case(&mut conn, staff, case_id).await?;
        if access != CaseAccess::Full {
            return Err(WorkError::Forbidden("Only the assigned handler or a supervisor refers a case.".into()));
        }
        Ok(crate::partners::offers(&mut conn, &case.country, &case.language).await?)
    }
}
