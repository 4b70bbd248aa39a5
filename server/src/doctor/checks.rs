//! The checks of `shelter doctor` that need no database, one function each.

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::{Check, Status};
use crate::config::ServeSettings;
use crate::notify::NotifySettings;

/// How long the SMTP server may take to answer.
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

/// The master key file: present, readable only by its owner, owned by the user running this.
pub fn key_file(path: &Path) -> Check {
    let name = "key_file";
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(error) => {
            return Check::new(name, Status::Fail, format!("{} cannot be read: {error}", path.display()));
        }
    };
    let mode = meta.mode() & 0o777;
    if mode & 0o077 != 0 {
        return Check::new(
            name,
            Status::Fail,
            format!("{} has mode {mode:04o}; others may read it: chmod 600 {}", path.display(), path.display()),
        );
    }
    let me = nix::unistd::geteuid().as_raw();
    if meta.uid() != me {
        return Check::new(
            name,
            Status::Fail,
            format!("{} is owned by uid {}, not by this user (uid {me})", path.display(), meta.uid()),
        );
    }
    Check::new(name, Status::Pass, format!("{} (mode {mode:04o}, owned by uid {me})", path.display()))
}

/// The public URL: https, or an onion address (whose transport Tor encrypts).
pub fn public_url(url: Option<&str>) -> Check {
    let name = "public_url";
    let Some(text) = url else {
        return Check::new(
            name,
            Status::Fail,
            "SHELTER_PUBLIC_URL is unset: cookies are not Secure and there is no HSTS",
        );
    };
    let Ok(parsed) = url::Url::parse(text) else {
        return Check::new(name, Status::Fail, format!("SHELTER_PUBLIC_URL {text:?} is not a URL"));
    };
    let onion = parsed.host_str().is_some_and(|h| h.ends_with(".onion"));
    match parsed.scheme() {
        "https" => Check::new(name, Status::Pass, text),
        "http" if onion => Check::new(name, Status::Pass, format!("{text} (onion service)")),
        _ => Check::new(
            name,
            Status::Fail,
            format!("{text} is not https: put Shelter behind the TLS proxy (deploy/Caddyfile)"),
        ),
    }
}

/// Metrics on loopback only; the public listener behind the proxy; the proxy's headers trusted.
pub fn listeners(settings: &ServeSettings) -> Check {
    let name = "listeners";
    if !settings.metrics_bind.ip().is_loopback() {
        return Check::new(
            name,
            Status::Fail,
            format!(
                "SHELTER_METRICS_BIND {} is not a loopback address: metrics would reach the public side",
                settings.metrics_bind
            ),
        );
    }
    if !settings.bind.ip().is_loopback() {
        return Check::new(
            name,
            Status::Warn,
            format!("SHELTER_BIND {} is reachable without the TLS proxy; bind 127.0.0.1 behind it", settings.bind),
        );
    }
    if settings.is_https() && !settings.trust_proxy_headers {
        return Check::new(
            name,
            Status::Warn,
            "behind the proxy every client has the proxy's address: set SHELTER_TRUST_PROXY_HEADERS=true",
        );
    }
    Check::new(
        name,
        Status::Pass,
        format!("public {} and metrics {} on loopback", settings.bind, settings.metrics_bind),
    )
}

/// The playbooks load.
pub fn playbooks(dir: &Path) -> Check {
    match crate::app::load_playbooks(dir) {
        Ok(playbooks) => {
            Check::new("playbooks", Status::Pass, format!("{} playbooks in {}", playbooks.all().len(), dir.display()))
        }
        Err(error) => Check::new("playbooks", Status::Fail, format!("{error:#}").replace('\n', " ")),
    }
}

/// The SMTP server answers EHLO (with STARTTLS or TLS as the URL asks), when configured.
pub async fn smtp(settings: &NotifySettings) -> Check {
    let name = "smtp";
    let Some(url) = &settings.smtp_url else {
        return Check::new(name, Status::Pass, "not configured (no e-mail notices)");
    };
    let mailer = match crate::notify::email::Mailer::new(
        url,
        settings.mail_from.as_deref(),
        &settings.neutral_name,
        settings.neutral_from.as_deref(),
    ) {
        Ok(mailer) => mailer,
        Err(error) => return Check::new(name, Status::Fail, format!("{error:#}")),
    };
    match tokio::time::timeout(SMTP_TIMEOUT, mailer.test_connection()).await {
        Ok(Ok(true)) => Check::new(name, Status::Pass, "the server answered EHLO"),
        Ok(Ok(false)) => Check::new(name, Status::Fail, "the server did not answer EHLO"),
        Ok(Err(error)) => Check::new(name, Status::Fail, format!("cannot reach it: {error:#}")),
        Err(_) => Check::new(name, Status::Fail, format!("no answer within {} s", SMTP_TIMEOUT.as_secs())),
    }
}

/// How old the newest file in the backup folder is (`None`: there is none).
pub fn newest_backup_age(dir: &Path) -> std::io::Result<Option<Duration>> {
    let newest = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .filter_map(|m| m.modified().ok())
        .max();
    Ok(newest.map(|newest| SystemTime::now().duration_since(newest).unwrap_or_default()))
}

/// The newest file in the backup folder is younger than `max_age_hours`.
pub fn backups(dir: Option<&Path>, max_age_hours: u64) -> Check {
    let name = "backups";
    let Some(dir) = dir else {
        return Check::new(name, Status::Warn, "not configured: set SHELTER_BACKUP_DIR to where backups are written");
    };
    let age = match newest_backup_age(dir) {
        Ok(Some(age)) => age,
        Ok(None) => return Check::new(name, Status::Fail, format!("no backup in {}", dir.display())),
        Err(error) => return Check::new(name, Status::Fail, format!("{} cannot be read: {error}", dir.display())),
    };
    let hours = age.as_secs() / 3600;
    let detail = format!("the newest in {} is {hours} h old", dir.display());
    if age > Duration::from_secs(max_age_hours * 3600) {
        Check::new(name, Status::Fail, format!("{detail} (more than {max_age_hours} h)"))
    } else {
        Check::new(name, Status::Pass, detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_onion_address_may_be_plain_http_and_nothing_else_may() {
        assert_eq!(public_url(Some("https://shelter.example.org")).status, Status::Pass);
        assert_eq!(public_url(Some("http://abcdefghijklmnop.onion")).status, Status::Pass);
        assert_eq!(public_url(Some("http://shelter.example.org")).status, Status::Fail);
        assert_eq!(public_url(None).status, Status::Fail);
    }
}
