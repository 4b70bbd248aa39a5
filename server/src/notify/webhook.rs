//! The webhook channel: a JSON notice posted to the network's messenger bridge, signed with
//! HMAC-SHA256 over `timestamp.body` (the timestamp in its own header, so the bridge can
//! refuse replays). Only https, and never a private or loopback address unless allowed:
//! the address is checked when the setting is read and again on every connection, after
//! name resolution, so a name that later points inside the network is refused too.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use hmac::{Hmac, Mac};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use secrecy::{ExposeSecret, SecretSlice};
use sha2::Sha256;

/// Header carrying the Unix time the signature covers.
pub const TIMESTAMP_HEADER: &str = "x-shelter-timestamp";
/// Header carrying `sha256=<hex>` of HMAC-SHA256(secret, "{timestamp}.{body}").
pub const SIGNATURE_HEADER: &str = "x-shelter-signature";
/// Header carrying the delivery id: the same on a retry, so the bridge can drop repeats.
pub const DELIVERY_HEADER: &str = "x-shelter-delivery";

/// Posts signed notices to one bridge.
pub struct Webhook {
    client: reqwest::Client,
    url: reqwest::Url,
    secret: SecretSlice<u8>,
}

/// Whether `ip` is an address on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Resolves names, keeping only public addresses unless private ones are allowed.
struct PublicOnly {
    allow_private: bool,
}

/// The addresses `host` resolves to that a webhook may connect to; an error when none.
pub async fn public_addresses(host: &str, allow_private: bool) -> Result<Vec<SocketAddr>, String> {
    let found = tokio::net::lookup_host((host, 0)).await.map_err(|_| "the webhook host does not resolve".to_owned())?;
    let allowed: Vec<SocketAddr> = found.filter(|a| allow_private || is_public(a.ip())).collect();
    if allowed.is_empty() {
        return Err("the webhook host resolves to no public address".to_owned());
    }
    Ok(allowed)
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let allowed = public_addresses(&host, allow_private).await?;
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// Checks a webhook URL against the rules: https, and no private address unless allowed.
pub fn check_target(url: &str, allow_private: bool) -> anyhow::Result<reqwest::Url> {
    let url = reqwest::Url::parse(url).context("SHELTER_WEBHOOK_URL is not a URL")?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => bail!(
            "SHELTER_WEBHOOK_URL must use https (plain http only with SHELTER_WEBHOOK_ALLOW_PRIVATE, for a bridge on this host)"
        ),
    }
    let private_literal = match url.host() {
        Some(url::Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost") || name.ends_with(".localhost"),
        None => bail!("SHELTER_WEBHOOK_URL has no host"),
    };
    if private_literal && !allow_private {
        bail!(
            "SHELTER_WEBHOOK_URL points at a private or loopback address; refused unless SHELTER_WEBHOOK_ALLOW_PRIVATE is set"
        );
    }
    Ok(url)
}

/// `sha256=<hex>` of HMAC-SHA256(secret, "{timestamp}.{body}").
#[expect(clippy::expect_used, reason = "HMAC accepts keys of any length")]
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

impl Webhook {
    /// A webhook client for `url`, with the secret read from `secret_file`.
    pub fn new(url: &str, secret_file: Option<&Path>, allow_private: bool) -> anyhow::Result<Self> {
        let url = check_target(url, allow_private)?;
        let path = secret_file.context("SHELTER_WEBHOOK_SECRET_FILE must be set when SHELTER_WEBHOOK_URL is")?;
        let secret = std::fs::read_to_string(path)
            .with_context(|| format!("Failed to read the webhook secret file {}", path.display()))?;
        let secret = secret.trim();
        if secret.len() < 32 {
            bail!("the webhook secret in {} must be at least 32 characters", path.display());
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(PublicOnly { allow_private }))
            .build()
            .context("Failed to build the webhook client")?;
        Ok(Webhook { client, url, secret: SecretSlice::from(secret.as_bytes().to_vec()) })
    }

    /// Posts `body`, signed at `timestamp`. Any answer but 2xx is a failure to retry.
    pub async fn send(&self, delivery_id: uuid::Uuid, timestamp: i64, body: Vec<u8>) -> Result<(), String> {
        let signature = sign(self.secret.expose_secret(), timestamp, &body);
        let answer = self
            .client
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(SIGNATURE_HEADER, signature)
            .header(DELIVERY_HEADER, delivery_id.to_string())
            .body(body)
            .send()
            .await;
        match answer {
            Ok(response) if response.status().is_success() => Ok(()),
            Ok(response) => Err(format!("webhook answered {}", response.status().as_u16())),
            Err(error) if error.is_timeout() => Err("webhook timed out".to_owned()),
            Err(error) if error.is_connect() => Err("webhook connection refused or not allowed".to_owned()),
            Err(_) => Err("webhook request failed".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_loopback_targets_are_refused_unless_allowed() {
        for url in [
            "https://127.0.0.1/hook",
            "https://10.1.2.3/hook",
            "https://192.168.0.9/hook",
            "https://169.254.169.254/latest",
            "https://[::1]/hook",
            "https://[fd00::1]/hook",
            "https://localhost/hook",
            "https://100.64.0.1/hook",
        ] {
            assert!(check_target(url, false).is_err(), "{url} was allowed");
            assert!(check_target(url, true).is_ok(), "{url} refused even when allowed");
        }
        assert!(check_target("http://bridge.example.org/hook", false).is_err(), "plain http");
        assert!(check_target("https://bridge.example.org/hook", false).is_ok());
        assert!(check_target("https://93.184.216.34/hook", false).is_ok());
    }

    #[test]
    fn the_signature_covers_timestamp_and_body() {
        let a = sign(b"secret-secret-secret-secret-secret", 1, b"{}");
        assert_ne!(a, sign(b"secret-secret-secret-secret-secret", 2, b"{}"));
        assert_ne!(a, sign(b"secret-secret-secret-secret-secret", 1, b"{ }"));
        assert!(a.starts_with("sha256=") && a.len() == 7 + 64);
    }
}
