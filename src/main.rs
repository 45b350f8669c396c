//! The riskreg binary: parse, run, print the error, set the exit code.

use clap::Parser;

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
        Err(riskreg::error::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("riskreg: {e}");
            riskreg::error::exit::ERROR
        }
    };
    std::process::exit(code);
}
