//! The answers an operation gives whatever its handler does, added to its description by
//! kind of operation: the layers and extractors in front of every handler give them.

use utoipa::Modify;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// Adds the shared answers to every operation and names every answer it lists.
pub struct Responses;

/// Paths throttled per address (sign-in, enrolment, portal sign-in, intake).
const THROTTLED: [&str; 5] = [
    "/api/v1/auth/token",
    "/api/v1/auth/enrol",
    "/api/v1/auth/enrol/confirm",
    "/api/v1/requester/token",
    "/api/v1/intake",
];

fn error(description: &str) -> RefOr<Response> {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
    RefOr::T(ResponseBuilder::new().description(description).content("application/json", content).build())
}

fn add(operation: &mut Operation, status: u16, description: &str) {
    operation.responses.responses.entry(status.to_string()).or_insert_with(|| error(description));
}

fn describe(path: &str, operation: &mut Operation) {
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let requester = operation.tags.as_ref().is_some_and(|t| t.iter().any(|t| t == "requester"));
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let has_path = parameters.iter().any(|p| matches!(p.parameter_in, ParameterIn::Path));
    let has_query = parameters.iter().any(|p| matches!(p.parameter_in, ParameterIn::Query));
    if operation.request_body.is_some() {
        add(operation, 400, "The body is not well-formed JSON");
        add(operation, 413, "The body is larger than the server accepts");
        add(operation, 415, "The body is not of the media type this operation takes");
        add(operation, 422, "A field is missing, of the wrong type, or not valid");
    }
    if has_path || has_query {
        add(operation, 400, "A path or query value is malformed");
    }
    if has_query {
        add(operation, 422, "A query value is not valid");
    }
    if has_path {
        add(operation, 404, "Nothing with that id, or nothing the caller may see");
    }
    if secured {
        add(operation, 401, "No bearer token, or one that is unknown, expired or signed out");
        if !requester {
            add(operation, 403, "The caller's roles do not allow it");
        }
    }
    if THROTTLED.contains(&path) {
        add(operation, 429, "Too many attempts from this address; try again later");
    }
    if path != "/healthz" {
        add(operation, 503, "The database is unreachable; try again shortly");
    }
    for (status, response) in operation.responses.responses.iter_mut() {
        if let RefOr::T(response) = response
            && response.description.is_empty()
        {
            response.description = match status.as_str() {
                "200" => "Done".into(),
                "201" => "Created".into(),
                "204" => "Done; nothing to return".into(),
                other => format!("Status {other}"),
            };
        }
    }
}

impl Modify for Responses {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            for operation in
                [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten()
            {
                describe(path, operation);
            }
        }
    }
}
