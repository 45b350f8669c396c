//! The riskreg binary: parse, run, print the error, set the exit code.

use clap::Parser;
use riskreg::error::ExitCode;

/// Whether the command line asks for JSON, read before (or without) parsing
/// it, so that even a command line clap refuses answers in JSON.
fn asks_json(args: &[std::ffi::OsString]) -> bool {
    let words: Vec<&str> = args.iter().filter_map(|a| a.to_str()).take_while(|a| *a != "--").collect();
    words.iter().enumerate().any(|(i, a)| {
        *a == "--json" || *a == "--format=json" || (*a == "--format" && words.get(i + 1) == Some(&"json"))
    })
}

/// An error as one JSON object on stdout (`{"error": …, "kind": …}`, as the
/// HTTP API writes it), besides the line on stderr.
fn json_error(message: &str, kind: &str) {
    let line = serde_json::json!({ "error": message, "kind": kind });
    println!("{line}");
}

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The extraction worker speaks a private protocol on stdout; it is not a
    // user command and bypasses the CLI entirely.
    if args.get(1).and_then(|a| a.to_str()) == Some(riskreg::extract::WORKER_ARG) {
        std::process::exit(riskreg::extract::worker::worker_main(&args[2..]));
    }
    let json = asks_json(&args);
    let cli = match riskreg::cli::Cli::try_parse_from(riskreg::cli::query_words_last(args)) {
        Ok(cli) => cli,
        Err(e) if json && e.use_stderr() => {
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("").trim_start_matches("error: ");
            json_error(first, "usage");
            eprint!("{text}");
            std::process::exit(2);
        }
        Err(e) => e.exit(),
    };
    let code = match riskreg::app::run(cli) {
        Ok(code) => code,
        // A reader that went away (`riskreg search x | head`) is not an error.
        Err(e) if e.is_broken_pipe() => ExitCode::Success,
        Err(e) => {
            if json {
                json_error(&e.to_string(), e.kind().name());
            }
            eprintln!("riskreg: {e}");
            ExitCode::Error
        }
    };
    std::process::exit(code.into());
}
