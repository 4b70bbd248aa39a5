//! What `deploy/` ships, run for real: the systemd unit through `systemd-analyze`, and
//! Debian's `caddy` with the shipped Caddyfile in front of two `shelter` processes.

mod caddy;
mod systemd;

use std::path::{Path, PathBuf};
use std::process::Stdio;

fn deploy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy")
}

fn found(program: &str) -> bool {
    std::process::Command::new("which").arg(program).stdout(Stdio::null()).status().is_ok_and(|s| s.success())
}
