//! The embedded default: a private PostgreSQL cluster under the data dir.
//!
//! With `DATABASE_URL` unset, Shelter creates (first run) and starts a cluster at
//! `$SHELTER_DATA_DIR/postgres` with the PostgreSQL binaries installed on the machine.
//! It listens on a Unix socket inside the cluster directory, or, when that path is too
//! long for a socket, on a free loopback port (never 5432). Run as root, the cluster is
//! owned and run by the `postgres` system user, since PostgreSQL refuses to run as root;
//! when that user cannot enter the data dir (a checkout under `/root`), the cluster lives
//! under [`ROOT_FALLBACK`] instead, and the log says where.
//!
//! Only the process that started the cluster stops it: it holds an exclusive lock on
//! `postgres.lock` beside the cluster for as long as it runs. Another `shelter` command
//! finding the cluster running (and the lock held) uses it and leaves it running; one
//! finding it running with the lock free (its starter crashed) takes the lock over.

use std::fs::{self, File};
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use nix::fcntl::{Flock, FlockArg};
use nix::unistd::{Gid, Uid, User};
use sqlx::postgres::PgConnectOptions;
use tokio::process::Command;

/// The port number in the socket's file name when listening on a socket only.
const SOCKET_PORT: u16 = 55432;
/// Unix socket paths longer than this do not fit in `sockaddr_un` (108 bytes with the NUL).
const MAX_SOCKET_PATH: usize = 100;
/// Names the directory of the PostgreSQL binaries to use, instead of searching for them.
pub const BIN_DIR_VAR: &str = "SHELTER_PG_BIN_DIR";
/// The superuser that initdb creates.
const SUPERUSER: &str = "postgres";
/// Where, run as root, clusters go whose data dir the `postgres` user cannot enter; one
/// folder per data dir, named by a hash of its path.
pub const ROOT_FALLBACK: &str = "/var/lib/shelter/embedded";

/// Why the embedded cluster could not be used.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    /// No `initdb`/`pg_ctl` on this machine.
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found in SHELTER_PG_BIN_DIR, on PATH \
         or under /usr/lib/postgresql/*/bin: install PostgreSQL (for example `apt-get install postgresql`) \
         or set DATABASE_URL to a PostgreSQL server"
    )]
    NoBinaries,
    /// Running as root without a `postgres` user to own the cluster.
    #[error(
        "running as root, the embedded cluster must be owned by the `postgres` system user, \
         which does not exist: create it (installing PostgreSQL does) or set DATABASE_URL"
    )]
    NoPostgresUser,
    /// A PostgreSQL tool exited with an error.
    #[error("{what} failed: {detail}")]
    Command {
        /// The step that failed.
        what: &'static str,
        /// What the tool said.
        detail: String,
    },
    /// A file operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        source: io::Error,
    },
}

fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> EmbeddedError {
    let context = context.into();
    move |source| EmbeddedError::Io { context, source }
}

/// How clients reach the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A Unix socket `.s.PGSQL.<port>` in `dir`; no TCP listener.
    Socket {
        /// The directory holding the socket.
        dir: PathBuf,
        /// The number in the socket's name.
        port: u16,
    },
    /// A loopback TCP port.
    Loopback {
        /// The port on 127.0.0.1.
        port: u16,
    },
}

/// The system user that owns the cluster, when Shelter runs as root.
#[derive(Debug, Clone, Copy)]
struct Owner {
    uid: Uid,
    gid: Gid,
}

/// A running embedded cluster.
#[derive(Debug)]
pub struct EmbeddedCluster {
    dir: PathBuf,
    bin: PathBuf,
    owner: Option<Owner>,
    endpoint: Endpoint,
    /// Held while this process is the one responsible for stopping the cluster.
    starter: std::sync::Mutex<Option<Flock<File>>>,
}

impl EmbeddedCluster {
    /// Creates the cluster on first use, then starts it, or reuses one already running.
    pub async fn start(data_dir: &Path) -> Result<Self, EmbeddedError> {
        Self::start_with_fallback(data_dir, Path::new(ROOT_FALLBACK)).await
    }

    /// [`EmbeddedCluster::start`], with clusters the `postgres` user could not reach in the
    /// data dir kept under `fallback` (run as root only).
    pub async fn start_with_fallback(data_dir: &Path, fallback: &Path) -> Result<Self, EmbeddedError> {
        let bin = match std::env::var_os(BIN_DIR_VAR) {
            Some(dir) => Some(PathBuf::from(dir)).filter(|dir| has_tools(dir)),
            None => locate_binaries(std::env::var_os("PATH").as_deref(), Path::new("/usr/lib/postgresql")),
        }
        .ok_or(EmbeddedError::NoBinaries)?;
        let owner = cluster_owner()?;
        prepare_data_dir(data_dir, owner.is_some())?;
        let data_dir = fs::canonicalize(data_dir).map_err(io_err("resolving the data dir"))?;
        let base = match owner {
            Some(owner) => reachable_home(&data_dir, fallback, owner)?,
            None => data_dir,
        };
        let dir = base.join("postgres");
        if !dir.join("PG_VERSION").exists() {
            init_cluster(&bin, &dir, owner).await?;
        }
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(base.join("postgres.lock"))
            .map_err(io_err("opening postgres.lock"))?;
        let starter = Flock::lock(lock, FlockArg::LockExclusiveNonblock).ok();
        let responsible = starter.is_some();
        let starter = std::sync::Mutex::new(starter);
        let mut cluster = EmbeddedCluster { endpoint: choose_endpoint(&dir)?, dir, bin, owner, starter };
        if let Some(endpoint) = running_endpoint(&cluster.dir) {
            if responsible {
                tracing::info!(dir = %cluster.dir.display(), "taking over the embedded PostgreSQL cluster left running");
            } else {
                tracing::info!(dir = %cluster.dir.display(), "using the embedded PostgreSQL cluster another Shelter process runs");
            }
            cluster.endpoint = endpoint;
            return Ok(cluster);
        }
        // Not running: start it. If another live process holds the lock (its cluster
        // crashed under it), that process stays the one to stop it.
        remove_stale_pid_file(&cluster.dir)?;
        cluster.write_config()?;
        cluster.pg_ctl_start().await?;
        tracing::info!(dir = %cluster.dir.display(), "embedded PostgreSQL cluster started");
        Ok(cluster)
    }

    /// Where the cluster lives.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The PostgreSQL binaries the cluster runs (their pg_dump matches its version).
    pub fn bin_dir(&self) -> &Path {
        &self.bin
    }

    /// How to reach the cluster.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Connection options for `database` as the cluster's superuser.
    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        let options = PgConnectOptions::new().username(SUPERUSER).database(database);
        match &self.endpoint {
            Endpoint::Socket { dir, port } => options.socket(dir).port(*port),
            Endpoint::Loopback { port } => options.host("127.0.0.1").port(*port),
        }
    }

    /// Whether this process is responsible for stopping the cluster.
    pub fn started_here(&self) -> bool {
        self.starter.lock().is_ok_and(|s| s.is_some())
    }

    /// Stops the cluster (fast shutdown: sessions are ended, data is flushed) if this
    /// process started it (or took it over); otherwise leaves it to the process that did.
    pub async fn stop(&self) -> Result<(), EmbeddedError> {
        // Taken out now and released once stopped, so a later start may take it again.
        let Some(_starter) = self.starter.lock().ok().and_then(|mut s| s.take()) else {
            tracing::info!(dir = %self.dir.display(), "leaving the embedded PostgreSQL cluster to the process that started it");
            return Ok(());
        };
        let output = self
            .command("pg_ctl")
            .arg("stop")
            .arg("-D")
            .arg(&self.dir)
            .args(["-m", "fast", "-w", "-t", "60", "-s"])
            .output()
            .await
            .map_err(io_err("running pg_ctl stop"))?;
        if !output.status.success() && running_endpoint(&self.dir).is_some() {
            return Err(EmbeddedError::Command { what: "pg_ctl stop", detail: tool_output(&output) });
        }
        tracing::info!(dir = %self.dir.display(), "embedded PostgreSQL cluster stopped");
        Ok(())
    }

    fn command(&self, tool: &str) -> Command {
        command_as(&self.bin, tool, self.owner)
    }

    /// Writes the listener settings, included from postgresql.conf, fresh at every start.
    fn write_config(&self) -> Result<(), EmbeddedError> {
        let text = match &self.endpoint {
            Endpoint::Socket { dir, port } => format!(
                "listen_addresses = ''\nunix_socket_directories = '{}'\nunix_socket_permissions = 0700\nport = {port}\n",
                quote_conf(dir)
            ),
            Endpoint::Loopback { port } => {
                format!("listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\nport = {port}\n")
            }
        };
        let path = self.dir.join("shelter.conf");
        fs::write(&path, text).map_err(io_err("writing shelter.conf"))?;
        give_to(&path, self.owner)
    }

    /// Starts the server; retries a few times because after a crash the old shared memory
    /// may still be held for a moment by dying backends.
    async fn pg_ctl_start(&self) -> Result<(), EmbeddedError> {
        let mut last = String::new();
        for attempt in 0..5 {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            let output = self
                .command("pg_ctl")
                .arg("start")
                .arg("-D")
                .arg(&self.dir)
                .arg("-l")
                .arg(self.dir.join("server.log"))
                .args(["-w", "-t", "60", "-s"])
                .output()
                .await
                .map_err(io_err("running pg_ctl start"))?;
            if output.status.success() {
                return Ok(());
            }
            last = format!("{}; see {}", tool_output(&output), self.dir.join("server.log").display());
            remove_stale_pid_file(&self.dir)?;
        }
        Err(EmbeddedError::Command { what: "pg_ctl start", detail: last })
    }
}

/// Finds the directory holding `initdb` and `pg_ctl`: first on PATH, then the newest
/// version under `versions_root` (Debian's `/usr/lib/postgresql/<version>/bin`).
pub fn locate_binaries(path_var: Option<&std::ffi::OsStr>, versions_root: &Path) -> Option<PathBuf> {
    if let Some(path_var) = path_var {
        for dir in std::env::split_paths(path_var) {
            if has_tools(&dir) {
                // Resolve symlinks (Debian links /usr/bin tools to a wrapper or a versioned dir).
                let initdb = fs::canonicalize(dir.join("initdb")).ok()?;
                let real = initdb.parent()?.to_path_buf();
                return Some(if has_tools(&real) { real } else { dir });
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir(versions_root)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| has_tools(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn has_tools(dir: &Path) -> bool {
    is_executable(&dir.join("initdb")) && is_executable(&dir.join("pg_ctl"))
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Under root, the `postgres` system user; otherwise the current user runs the cluster.
fn cluster_owner() -> Result<Option<Owner>, EmbeddedError> {
    if !Uid::effective().is_root() {
        return Ok(None);
    }
    let user = User::from_name(SUPERUSER)
        .map_err(|e| io_err("looking up the postgres user")(e.into()))?
        .ok_or(EmbeddedError::NoPostgresUser)?;
    Ok(Some(Owner { uid: user.uid, gid: user.gid }))
}

/// Creates the data dir. Under root it must be traversable (not listable) by the
/// `postgres` user, who owns the cluster directory inside it.
fn prepare_data_dir(data_dir: &Path, as_root: bool) -> Result<(), EmbeddedError> {
    fs::create_dir_all(data_dir).map_err(io_err(format!("creating the data dir {}", data_dir.display())))?;
    let mode = if as_root { 0o711 } else { 0o700 };
    fs::set_permissions(data_dir, fs::Permissions::from_mode(mode))
        .map_err(io_err(format!("restricting the data dir {}", data_dir.display())))
}

/// The first directory at or above `dir` that the `postgres` user cannot pass.
fn blocked_at(dir: &Path, owner: Owner) -> Result<Option<PathBuf>, EmbeddedError> {
    use std::os::unix::fs::MetadataExt;
    for dir in dir.ancestors() {
        let meta = fs::metadata(dir).map_err(io_err(format!("inspecting {}", dir.display())))?;
        let passable = meta.mode() & 0o001 != 0
            || (meta.uid() == owner.uid.as_raw() && meta.mode() & 0o100 != 0)
            || (meta.gid() == owner.gid.as_raw() && meta.mode() & 0o010 != 0);
        if !passable {
            return Ok(Some(dir.to_path_buf()));
        }
    }
    Ok(None)
}

/// Under root, where the cluster can live: the data dir when the `postgres` user can
/// reach it, else a folder of its own under `fallback` (say, for a checkout under
/// `/root`), named by a hash of the data dir so that each data dir keeps its cluster.
fn reachable_home(data_dir: &Path, fallback: &Path, owner: Owner) -> Result<PathBuf, EmbeddedError> {
    use sha2::{Digest, Sha256};
    let Some(blocked) = blocked_at(data_dir, owner)? else { return Ok(data_dir.to_path_buf()) };
    let name = hex::encode(&Sha256::digest(data_dir.as_os_str().as_encoded_bytes())[..8]);
    let home = fallback.join(name);
    fs::create_dir_all(&home).map_err(io_err(format!("creating {}", home.display())))?;
    // Traversable, not listable, by the postgres user, from the fallback root down.
    for dir in home.ancestors().take_while(|d| d.starts_with(fallback)) {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o711))
            .map_err(io_err(format!("restricting {}", dir.display())))?;
    }
    if let Some(still) = blocked_at(&home, owner)? {
        return Err(EmbeddedError::Io {
            context: format!(
                "the postgres user, which runs the embedded cluster, can enter neither {} nor {}: \
                 choose a SHELTER_DATA_DIR it can reach, or set DATABASE_URL",
                blocked.display(),
                still.display()
            ),
            source: io::Error::from(io::ErrorKind::PermissionDenied),
        });
    }
    tracing::warn!(
        data_dir = %data_dir.display(),
        cluster = %home.join("postgres").display(),
        "the postgres user cannot enter {}, so the embedded PostgreSQL cluster lives at {} (keys stay in the data dir)",
        blocked.display(),
        home.join("postgres").display()
    );
    Ok(home)
}

/// Runs initdb into a scratch directory and renames it into place, so an interrupted
/// first start never leaves a half-made cluster behind.
async fn init_cluster(bin: &Path, dir: &Path, owner: Option<Owner>) -> Result<(), EmbeddedError> {
    let scratch = dir.with_extension("init");
    if scratch.exists() {
        fs::remove_dir_all(&scratch).map_err(io_err("removing an interrupted initdb"))?;
    }
    fs::create_dir(&scratch).map_err(io_err("creating the cluster directory"))?;
    fs::set_permissions(&scratch, fs::Permissions::from_mode(0o700))
        .map_err(io_err("restricting the cluster directory"))?;
    give_to(&scratch, owner)?;
    tracing::info!(dir = %dir.display(), "creating the embedded PostgreSQL cluster (first run)");
    let output = command_as(bin, "initdb", owner)
        .arg("-D")
        .arg(&scratch)
        .args(["-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-instructions"])
        .output()
        .await
        .map_err(io_err("running initdb"))?;
    if !output.status.success() {
        return Err(EmbeddedError::Command { what: "initdb", detail: tool_output(&output) });
    }
    let conf = scratch.join("postgresql.conf");
    let mut text = fs::read_to_string(&conf).map_err(io_err("reading postgresql.conf"))?;
    text.push_str("\n# Listener settings, rewritten by Shelter at every start.\ninclude_if_exists = 'shelter.conf'\n");
    fs::write(&conf, text).map_err(io_err("writing postgresql.conf"))?;
    fs::rename(&scratch, dir).map_err(io_err("moving the new cluster into place"))
}

fn command_as(bin: &Path, tool: &str, owner: Option<Owner>) -> Command {
    let mut command = Command::new(bin.join(tool));
    // The postgres user may not be able to enter the caller's working directory.
    command.current_dir("/").env("LC_ALL", "C").kill_on_drop(true);
    if let Some(owner) = owner {
        command.uid(owner.uid.as_raw()).gid(owner.gid.as_raw());
    }
    command
}

fn give_to(path: &Path, owner: Option<Owner>) -> Result<(), EmbeddedError> {
    match owner {
        Some(owner) => nix::unistd::chown(path, Some(owner.uid), Some(owner.gid))
            .map_err(|e| io_err(format!("handing {} to the postgres user", path.display()))(e.into())),
        None => Ok(()),
    }
}

/// A socket in the cluster directory when its path fits, else a free loopback port.
fn choose_endpoint(dir: &Path) -> Result<Endpoint, EmbeddedError> {
    let socket = dir.join(format!(".s.PGSQL.{SOCKET_PORT}"));
    if socket.as_os_str().len() <= MAX_SOCKET_PATH {
        return Ok(Endpoint::Socket { dir: dir.to_path_buf(), port: SOCKET_PORT });
    }
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(io_err("finding a free loopback port"))?;
    let port = listener.local_addr().map_err(io_err("finding a free loopback port"))?.port();
    Ok(Endpoint::Loopback { port })
}

/// The endpoint of a postmaster already serving this cluster, read from `postmaster.pid`.
fn running_endpoint(dir: &Path) -> Option<Endpoint> {
    let text = fs::read_to_string(dir.join("postmaster.pid")).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    let pid: i32 = lines.first()?.trim().parse().ok()?;
    if !is_postmaster_of(pid, dir) {
        return None;
    }
    let port: u16 = lines.get(3)?.trim().parse().ok()?;
    let socket_dir = lines.get(4).map(|s| s.trim()).unwrap_or_default();
    if socket_dir.is_empty() {
        Some(Endpoint::Loopback { port })
    } else {
        Some(Endpoint::Socket { dir: PathBuf::from(socket_dir), port })
    }
}

/// Whether `pid` is a live postgres process serving `dir`. A pid left by a crash may
/// since have been reused by an unrelated process, so liveness alone is not enough.
fn is_postmaster_of(pid: i32, dir: &Path) -> bool {
    let Ok(cmdline) = fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let mut args = cmdline.split(|b| *b == 0).filter(|a| !a.is_empty());
    let is_postgres = args
        .next()
        .and_then(|exe| Path::new(std::str::from_utf8(exe).ok()?).file_name().map(|n| n == "postgres"))
        .unwrap_or(false);
    let dir = dir.as_os_str().as_encoded_bytes();
    is_postgres && args.any(|arg| arg == dir)
}

/// Removes `postmaster.pid` when no postmaster of this cluster is alive.
fn remove_stale_pid_file(dir: &Path) -> Result<(), EmbeddedError> {
    let path = dir.join("postmaster.pid");
    if path.exists() && running_endpoint(dir).is_none() {
        tracing::warn!(dir = %dir.display(), "removing a stale postmaster.pid left by an earlier crash");
        fs::remove_file(&path).map_err(io_err("removing a stale postmaster.pid"))?;
    }
    Ok(())
}

fn quote_conf(path: &Path) -> String {
    path.display().to_string().replace('\'', "''")
}

fn tool_output(output: &std::process::Output) -> String {
    let text = format!(
        "{} {}",
        String::from_utf8_lossy(&output.stderr).trim(),
        String::from_utf8_lossy(&output.stdout).trim()
    );
    let text = text.trim();
    if text.is_empty() { format!("exit status {}", output.status) } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_binaries_anywhere_is_none() {
        let empty = std::env::temp_dir().join("shelter-no-such-dir");
        assert_eq!(locate_binaries(Some(std::ffi::OsStr::new("")), &empty), None);
    }

    #[test]
    fn conf_paths_are_quoted() {
        assert_eq!(quote_conf(Path::new("/a'b")), "/a''b");
    }

    #[test]
    fn a_pid_that_is_not_postgres_is_not_the_postmaster() {
        let me = std::process::id() as i32;
        assert!(!is_postmaster_of(me, Path::new("/nowhere")));
    }
}
