//! One module per page.

pub mod error;
pub mod landing;
pub mod requester;
pub mod staff;
