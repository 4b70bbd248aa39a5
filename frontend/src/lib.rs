//! Shelter's pages, rendered on the server from plain data.
//!
//! Nothing here decides anything or touches the network: a page takes the data its
//! handler gathered and returns HTML. No page needs JavaScript.

pub mod charts;
pub mod countries;
pub mod dates;
pub mod glossary;
pub mod i18n;
pub mod layout;
pub mod pages;
pub mod raw_text;
pub mod reader;
pub mod words;

/// The one stylesheet, served by the server at [`STYLESHEET_PATH`].
pub const STYLESHEET: &str = include_str!("../assets/style.css");

/// Where pages link the stylesheet; the version busts caches across releases.
pub const STYLESHEET_PATH: &str = concat!("/assets/style.css?v=", env!("CARGO_PKG_VERSION"));
