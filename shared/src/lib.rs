//! Domain types shared by Shelter's server and pages: no I/O lives here.

/// A closed set of named values: an enum with its stable names, `ALL`, `as_str`, `FromStr`
/// and `Display` (defined before the modules so they can all use it). A value may carry its
/// own doc comment, which follows its name.
// `$tag:tt`, not `literal`: a `literal` fragment reaches derives wrapped in an invisible
// group, and utoipa then misses `serde(rename)` and documents the Rust variant names.
macro_rules! named {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $tag:tt),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $(#[doc = $tag] $(#[$vmeta])* #[serde(rename = $tag)] $variant,)* }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// The stable name.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $tag,)* } }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                $name::ALL.iter().copied().find(|v| v.as_str() == text)
                    .ok_or_else(|| format!("unknown {} {text:?}", stringify!($name)))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

pub mod alumni;
pub mod api;
pub mod audit;
pub mod case;
pub mod disclosure;
pub mod grant;
pub mod insights;
pub mod intake;
pub mod language;
pub mod local_time;
pub mod money;
pub mod notice;
pub mod partner;
pub mod passphrase;
pub mod perturb;
pub mod referral;
pub mod script;
#[cfg(feature = "sqlx")]
mod sql;
pub mod staff;
pub mod suppress;
pub mod vouch;
