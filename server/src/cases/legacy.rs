//! Seals what older versions stored in plain text, once, at start-up: SQL migrations cannot,
//! since the keys live outside the database.
//!
//! Referral purposes and grant decisions' rationales are sealed here. Audit rationales written before sealing stay as they
//! are: the trail is append-only and its hashes cover them, so rewriting them would be
//! indistinguishable from tampering.

use super::Cases;
use crate::referrals::purpose_field;

impl Cases {
    /// Seals every referral purpose still in plain text and clears the plain column; returns
    /// how many. Each row commits on its own, so an interrupted start simply resumes.
    pub async fn seal_legacy_purposes(&self) -> anyhow::Result<u64> {
        let mut conn = self.db.acquire().await?;
        let rows = sqlx::query!(
            r#"select referral_id, case_id, purpose as "purpose!" from referral
               where purpose is not null and purpose_sealed is null"#,
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut sealed = 0;
        for row in rows {
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            let key = self.case_key(&mut tx, row.case_id).await?;
            sqlx::query!(
                "update referral set purpose_sealed = $2, purpose = null where referral_id = $1",
                row.referral_id,
                key.seal(&purpose_field(row.referral_id), row.purpose.as_bytes())?,
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            sealed += 1;
        }
        Ok(sealed)
    }

    /// Seals every grant decision's rationale still in plain text; returns how many.
    pub async fn seal_legacy_decisions(&self) -> anyhow::Result<u64> {
        let mut conn = self.db.acquire().await?;
        let rows = sqlx::query!(
            r#"select d.grant_id, d.supervisor, g.case_id, d.rationale as "rationale!"
               from grant_decision d join grants g using (grant_id)
               where d.rationale is not null"#,
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut sealed = 0;
        for row in rows {
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            let key = self.case_key(&mut tx, row.case_id).await?;
            let field = crate::grants::decision_field(row.grant_id, row.supervisor);
            sqlx::query!(
                "update grant_decision set rationale_sealed = $3, rationale = null where grant_id = $1 and supervisor = $2",
                row.grant_id,
                row.supervisor,
                key.seal(&field, row.rationale.as_bytes())?,
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            sealed += 1;
        }
        Ok(sealed)
    }
}
