//! Staff identity: enrolment, sign-in, sessions, CSRF, the role × route matrix.

mod csrf;
mod enrolment;
mod guards;
mod matrix;
mod pages;
mod partner_link;
mod sessions;
mod sign_in;
