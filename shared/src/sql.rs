//! Named values stored in PostgreSQL `text` columns (only with the `sqlx` feature, which the
//! server turns on: the pages build `shared` without any database crate).
//!
//! Each type is written as its stable name and read back through its `FromStr`, so a row
//! holds `CaseState`, never a string that code has to parse (and guess about) later. Arrays
//! of them bind as `text[]`, which lets SQL test membership of a status set defined here in
//! `shared` (`state = ANY($1)`) instead of repeating its literals.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgHasArrayType, PgTypeInfo, PgValueRef};
use sqlx::{Decode, Encode, Postgres, Type};

/// `text_column!(Type => |value| name)`: `name` is the `&str` stored for `value`.
macro_rules! text_column {
    ($($ty:ty => |$v:ident| $name:expr;)*) => {$(
        impl Type<Postgres> for $ty {
            fn type_info() -> PgTypeInfo {
                <&str as Type<Postgres>>::type_info()
            }
            fn compatible(ty: &PgTypeInfo) -> bool {
                <&str as Type<Postgres>>::compatible(ty)
            }
        }

        impl PgHasArrayType for $ty {
            fn array_type_info() -> PgTypeInfo {
                <&str as PgHasArrayType>::array_type_info()
            }
            fn array_compatible(ty: &PgTypeInfo) -> bool {
                <&str as PgHasArrayType>::array_compatible(ty)
            }
        }

        impl Encode<'_, Postgres> for $ty {
            fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
                let $v = self;
                <&str as Encode<Postgres>>::encode(AsRef::<str>::as_ref(&$name), buf)
            }
        }

        impl<'r> Decode<'r, Postgres> for $ty {
            fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
                let text = <&str as Decode<Postgres>>::decode(value)?;
                Ok(text.parse::<$ty>().map_err(|e| e.to_string())?)
            }
        }
    )*};
}

use crate::alumni::MemberStatus;
use crate::audit::AuditAction;
use crate::case::{CaseState, CaseTransition, Outcome};
use crate::grant::{GrantCategory, GrantState, GrantTransition, PaymentMethod, Tier};
use crate::intake::{IncidentKind, Need, Severity, Urgency};
use crate::language::Language;
use crate::money::Currency;
use crate::notice::{Digest, NewsChannel};
use crate::referral::{Capacity, Expertise, PacketField, ReferralState, ReferralTransition};
use crate::staff::Role;
use crate::vouch::VouchAnswer;

text_column! {
    MemberStatus => |v| v.as_str();
    AuditAction => |v| v.as_str();
    CaseState => |v| v.as_str();
    CaseTransition => |v| v.as_str();
    Outcome => |v| v.as_str();
    GrantCategory => |v| v.as_str();
    GrantState => |v| v.as_str();
    GrantTransition => |v| v.as_str();
    PaymentMethod => |v| v.as_str();
    Tier => |v| v.as_str();
    IncidentKind => |v| v.as_str();
    Need => |v| v.as_str();
    Severity => |v| v.as_str();
    Urgency => |v| v.as_str();
    Language => |v| v.tag();
    Currency => |v| v.to_string();
    Digest => |v| v.as_str();
    NewsChannel => |v| v.as_str();
    Capacity => |v| v.as_str();
    Expertise => |v| v.as_str();
    PacketField => |v| v.as_str();
    ReferralState => |v| v.as_str();
    ReferralTransition => |v| v.as_str();
    Role => |v| v.as_str();
    VouchAnswer => |v| v.as_str();
}
