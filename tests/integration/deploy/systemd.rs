//! The systemd unit: `systemd-analyze verify` accepts it and `systemd-analyze security` rates it.

use tokio::process::Command;

use super::{deploy_dir, found};

#[tokio::test]
async fn systemd_accepts_the_unit_and_rates_it_well_hardened() {
    if !found("systemd-analyze") {
        println!("SKIPPED: systemd-analyze is not installed on this machine, so the unit cannot be verified");
        return;
    }
    // The unit as shipped, with ExecStart on the binary just built (verify wants it to exist).
    let unit = std::fs::read_to_string(deploy_dir().join("shelter.service")).unwrap();
    for line in [
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "PrivateTmp=yes",
        "CapabilityBoundingSet=\n",
        "Restart=on-failure",
        "User=shelter",
        "ReadWritePaths=/var/lib/shelter",
    ] {
        assert!(unit.contains(line), "the unit has {line:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shelter.service");
    std::fs::write(&path, unit.replace("/usr/local/bin/shelter", env!("CARGO_BIN_EXE_shelter-under-test"))).unwrap();
    let verify = Command::new("systemd-analyze").arg("verify").arg(&path).output().await.unwrap();
    let complaints = String::from_utf8_lossy(&verify.stderr);
    assert!(verify.status.success() && complaints.trim().is_empty(), "systemd-analyze verify: {complaints}");
    // Exposure 2.0 or less of 10 ("OK"): no capability, no writable system, no new privileges.
    let security = Command::new("systemd-analyze")
        .args(["security", "--offline=true", "--threshold=20"])
        .arg(&path)
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&security.stdout);
    assert!(security.status.success(), "systemd-analyze security: {}", text.lines().last().unwrap_or_default());
}
