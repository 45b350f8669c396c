//! The riskreg binary: parse, run, print the error, set the exit code.

use clap::Parser;
use riskreg::error::ExitCode;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // The extraction worker speaks a private protocol on stdout; it is not a
    // user command and bypasses the CLI entirely.
    if args.get(1).map(String::as_str) == Some(riskreg::extract::WORKER_ARG) {
        std::process::exit(riskreg::extract::worker::worker_main(&args[2..]));
    }
    let cli = riskreg::cli::Cli::parse();
    let code = match riskreg::app::run(cli) {
        Ok(code) => code,
        // A reader that went away (`riskreg search x | head`) is not an error.
        Err(e) if e.is_broken_pipe() => ExitCode::Success,
        Err(e) => {
            eprintln!("riskreg: {e}");
            ExitCode::Error
        }
    };
    std::process::exit(code.into());
}
