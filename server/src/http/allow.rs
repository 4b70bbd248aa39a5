//! Authorisation in the handler's signature: `Allowed<Browser, may::WorkCases>` is a signed-in
//! staff session that the policy allows to work cases. A handler that takes one cannot forget
//! to ask, and a reader sees what it needs without reading its body. Handlers whose action
//! depends on what was sent (or on the case) still call [`authorize`] themselves.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::auth::{ApiStaff, BrowserStaff, authorize};
use crate::identity::sessions::StaffSession;
use crate::policy::Action;

/// An action of the policy, as a type.
pub trait Permission {
    /// The policy's action.
    const ACTION: Action;
}

macro_rules! permissions {
    ($($name:ident),* $(,)?) => {$(
        #[doc = concat!("Permission to `", stringify!($name), "`.")]
        pub struct $name;
        impl super::Permission for $name {
            const ACTION: super::Action = super::Action::$name;
        }
    )*};
}

/// The policy's actions as types, for [`Allowed`].
pub mod may {
    permissions!(
        AnswerReferrals,
        AskVouchers,
        ChangePayee,
        ConfirmStaff,
        CreateStaff,
        DeclareGrantConflict,
        DisableStaff,
        DisburseGrants,
        ExportAlumni,
        LiftCustody,
        LiftLegalHold,
        LinkAlumni,
        LinkMember,
        LinkPartnerAccount,
        ListStaff,
        ManageAlumni,
        ManageFunds,
        ManageNotices,
        ManageOwnAccount,
        ManagePartners,
        PlaceLegalHold,
        ReadAudit,
        ResetStaffTwoFactor,
        ReviewDecision,
        SetCustody,
        UnlockStaff,
        ViewAlumni,
        ViewDonorReport,
        ViewFunds,
        ViewGrant,
        ViewGrantRegister,
        ViewInsights,
        ViewPartners,
        ViewRetention,
        ViewSlaBreaches,
        ViewStaffHome,
        WatchRequester,
        WorkCases,
        WorkGrants,
    );
}

/// Where the session comes from: the browser's cookie ([`Browser`]) or a bearer token ([`Api`]).
pub trait Caller: FromRequestParts<AppState, Rejection: IntoResponse> {
    /// The session it carries.
    fn session(self) -> StaffSession;
}

/// A signed-in browser (anyone else is sent to the sign-in page).
pub type Browser = BrowserStaff;
/// An API caller with a bearer token.
pub type Api = ApiStaff;

impl Caller for BrowserStaff {
    fn session(self) -> StaffSession {
        self.0
    }
}

impl Caller for ApiStaff {
    fn session(self) -> StaffSession {
        self.0
    }
}

/// A caller `C` whom the policy allows `P`; a refusal is a 403 and an audit entry.
pub struct Allowed<C, P>(pub StaffSession, pub PhantomData<(C, P)>);

impl<C: Caller + Send, P: Permission> FromRequestParts<AppState> for Allowed<C, P> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let session = C::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?.session();
        authorize(state, &session, P::ACTION).await.map_err(IntoResponse::into_response)?;
        Ok(Allowed(session, PhantomData))
    }
}
