//! Staff roles and identities.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a staff member may be asked to do. An account may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Triages and works cases.
    Handler,
    /// Sees all cases, approves grants, reviews decisions, reads the audit trail.
    Supervisor,
    /// Executes approved grants; never sees case narratives.
    Finance,
    /// A lawyer or partner organisation outside the network: sees only packets referred to it.
    Partner,
    /// Manages accounts and settings; never reads case content.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [Role::Handler, Role::Supervisor, Role::Finance, Role::Partner, Role::Admin];

    /// The stable lowercase name used in the CLI, the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Handler => "handler",
            Role::Supervisor => "supervisor",
            Role::Finance => "finance",
            Role::Partner => "partner",
            Role::Admin => "admin",
        }
    }
}

/// A role name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}; expected handler, supervisor, finance, partner or admin")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == name.trim()).ok_or_else(|| UnknownRole(name.to_owned()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A staff e-mail address, trimmed and lowercased: the sign-in name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// Why a string is not an e-mail address Shelter accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid e-mail address")]
pub struct InvalidEmail;

impl Email {
    /// Parses an address: one `@`, a non-empty local part, a dotted domain, no spaces, at most 254 bytes.
    pub fn parse(raw: &str) -> Result<Self, InvalidEmail> {
        let email = raw.trim().to_lowercase();
        let (local, domain) = email.split_once('@').ok_or(InvalidEmail)?;
        let valid = !local.is_empty()
            && email.len() <= 254
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ','));
        if valid { Ok(Email(email)) } else { Err(InvalidEmail) }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = InvalidEmail;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Limits on staff passwords.
pub mod password_rules {
    /// Fewest characters.
    pub const MIN_CHARS: usize = 12;
    /// Most characters (argon2 cost is per byte; this keeps a hash bounded).
    pub const MAX_CHARS: usize = 128;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(Email::parse("  Ana@Example.ORG ").map(|e| e.0), Ok("ana@example.org".to_owned()));
    }

    #[test]
    fn bad_emails_are_refused() {
        for bad in ["", "ana", "ana@", "@example.org", "ana@example", "a b@example.org", "a@b@c.org", "<a>@x.org"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
