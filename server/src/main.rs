//! The `shelter` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    shelter_server::cli::main()
}
