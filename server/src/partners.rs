//! The partner directory: lawyers and organisations outside the network. Contact details
//! are sealed at rest and never listed; the directory filters by country, language and
//! expertise so a handler can find who fits a case.

use std::sync::Arc;

use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::intake::CountryCode;
use shelter_shared::language::Language;
use shelter_shared::partner::{NewPartnerRequest, PartnerOffer, PartnerSummary};
use shelter_shared::referral::Capacity;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::audit::{self, Actor, NewEntry, Subject};
use crate::clock::Clock;
use crate::keys::{self, Keys};

/// The directory service.
#[derive(Clone)]
pub struct Partners {
    /// The database.
    pub db: PgPool,
    /// Keys (the directory key seals contacts).
    pub keys: Arc<Keys>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
}

/// Why a directory change is refused.
#[derive(Debug, thiserror::Error)]
pub enum PartnerError {
    /// Bad input, saying what to fix.
    #[error("{0}")]
    Invalid(String),
    /// No such partner.
    #[error("not found")]
    NotFound,
    /// Anything else.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for PartnerError {
    fn from(error: sqlx::Error) -> Self {
        PartnerError::Internal(error.into())
    }
}

impl From<audit::AuditError> for PartnerError {
    fn from(error: audit::AuditError) -> Self {
        PartnerError::Internal(error.into())
    }
}

/// Which partners to list.
#[derive(Debug, Clone, Default)]
pub struct PartnerFilter {
    /// Working in this country.
    pub country: Option<String>,
    /// Working in this language.
    pub language: Option<String>,
    /// With this expertise.
    pub expertise: Option<String>,
}

struct Row {
    partner_id: Uuid,
    name: String,
    kind: String,
    countries: Vec<String>,
    languages: Vec<String>,
    expertise: Vec<String>,
    capacity: String,
}

impl Row {
    fn summary(self) -> PartnerSummary {
        PartnerSummary {
            id: self.partner_id.to_string(),
            name: self.name,
            kind: self.kind,
            countries: self.countries,
            languages: self.languages,
            expertise: self.expertise,
            capacity: self.capacity,
        }
    }
}

/// Every active partner offered for a case in `country` whose requester writes `language`:
/// those working in the country first (those also speaking the language before them), then
/// the rest; within each, those with capacity first. The case service calls this once it has
/// checked the reader's access to the case.
pub async fn offers(conn: &mut PgConnection, country: &str, language: &str) -> sqlx::Result<Vec<PartnerOffer>> {
    let rows = sqlx::query_as!(
        Row,
        "select partner_id, name, kind, countries, languages, expertise, capacity from partner
         where active
         order by ($1 = any(countries)) desc, ($2 = any(languages)) desc,
                  case capacity when 'available' then 0 when 'limited' then 1 else 2 end, name",
        country,
        language
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let in_country = r.countries.iter().any(|c| c == country);
            let speaks_language = r.languages.iter().any(|l| l == language);
            PartnerOffer { partner: r.summary(), in_country, speaks_language }
        })
        .collect())
}

/// The context a partner's contact details are sealed with.
pub fn contact_context(id: Uuid) -> Vec<u8> {
    format!("partner.contact:{id}").into_bytes()
}

/// Checks a new partner; every problem is named.
fn check(request: &NewPartnerRequest) -> Result<(Vec<String>, Vec<String>), PartnerError> {
    let invalid = |m: &str| PartnerError::Invalid(m.to_owned());
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(invalid("The name must have 1 to 200 characters."));
    }
    if !matches!(request.kind.as_str(), "lawyer" | "organisation") {
        return Err(invalid("kind must be lawyer or organisation."));
    }
    if request.countries.is_empty() {
        return Err(invalid("Give at least one country the partner works in."));
    }
    let countries = request
        .countries
        .iter()
        .map(|c| CountryCode::parse(c).map(|c| c.to_string()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| invalid("countries must be ISO 3166-1 alpha-2 codes."))?;
    let languages = request
        .languages
        .iter()
        .map(|l| l.parse::<Language>().map(|l| l.tag().to_owned()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PartnerError::Invalid(e.to_string()))?;
    if request.contact.as_deref().is_some_and(|c| c.chars().count() > 2000) {
        return Err(invalid("The contact details are too long: at most 2000 characters."));
    }
    Ok((countries, languages))
}

impl Partners {
    /// Adds a partner; its contact details are sealed.
    pub async fn create(&self, actor: &Actor, request: &NewPartnerRequest) -> Result<Uuid, PartnerError> {
        let (countries, languages) = check(request)?;
        let id = Uuid::new_v4();
        let contact = request
            .contact
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| keys::seal(&self.keys.directory, c.as_bytes(), &contact_context(id)))
            .transpose()?;
        let expertise: Vec<&str> = request.expertise.iter().map(|e| e.as_str()).collect();
        let capacity = request.capacity.unwrap_or(Capacity::Available);
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        sqlx::query!(
            "insert into partner (partner_id, name, kind, countries, languages, expertise, capacity, contact_sealed,
                                  created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            id,
            request.name.trim(),
            &request.kind,
            &countries,
            &languages,
            request.expertise.as_slice() as _,
            capacity as _,
            contact,
            now
        )
        .execute(&mut *tx)
        .await?;
        let entry = NewEntry::new(actor.clone(), AuditAction::PartnerCreated)
            .subject(Subject { kind: "partner", id: id.to_string() })
            .details(json!({"kind": request.kind, "countries": countries, "expertise": expertise}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Active partners matching `filter`, those with capacity first.
    pub async fn list(&self, filter: &PartnerFilter) -> Result<Vec<PartnerSummary>, PartnerError> {
        let rows = sqlx::query_as!(
            Row,
            "select partner_id, name, kind, countries, languages, expertise, capacity from partner
             where active
               and ($1::text is null or $1 = any(countries))
               and ($2::text is null or $2 = any(languages))
               and ($3::text is null or $3 = any(expertise))
             order by case capacity when 'available' then 0 when 'limited' then 1 else 2 end, name",
            filter.country.as_deref(),
            filter.language.as_deref(),
            filter.expertise.as_deref()
        )
        .fetch_all(&self.db)
        .await?;
        Ok(rows.into_iter().map(Row::summary).collect())
    }

    /// Changes a partner's capacity.
    pub async fn set_capacity(&self, actor: &Actor, id: Uuid, capacity: Capacity) -> Result<(), PartnerError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let previous = sqlx::query_scalar!(
            r#"update partner p set capacity = $2, updated_at = $3 from partner old
                                 where p.partner_id = $1 and old.partner_id = p.partner_id
                                 returning old.capacity as "capacity: Capacity""#,
            id,
            capacity as _,
            now
        )
        .fetch_optional(&mut *tx)
        .await?;
        let previous = previous.ok_or(PartnerError::NotFound)?;
        let entry = NewEntry::new(actor.clone(), AuditAction::PartnerCapacityChanged)
            .subject(Subject { kind: "partner", id: id.to_string() })
            .details(json!({"from": previous, "to": capacity}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A partner's contact details, opened (for administrators).
    pub async fn contact(&self, id: Uuid) -> Result<Option<String>, PartnerError> {
        let sealed = sqlx::query_scalar!("select contact_sealed from partner where partner_id = $1", id)
            .fetch_optional(&self.db)
            .await?;
        let sealed = sealed.ok_or(PartnerError::NotFound)?;
        sealed
            .map(|s| keys::open(&self.keys.directory, &s, &contact_context(id)).and_then(|b| Ok(String::from_utf8(b)?)))
            .transpose()
            .map_err(PartnerError::Internal)
    }
}
