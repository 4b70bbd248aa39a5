//! The same `shelter` binary as `server/src/main.rs`, built in this package so the
//! integration tests can run it as a process.

fn main() -> std::process::ExitCode {
    shelter_server::cli::main()
}
