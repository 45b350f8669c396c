//! A bounded load run on `riskreg serve`, on loopback only: N clients, each on
//! one keep-alive connection, send searches for a fixed time; prints
//! requests/s, p50, p99, the slowest request, and errors.
//!
//! ```sh
//! just bench-serve                      # starts target/release/riskreg serve itself
//! cargo run --release --example serve_load -- http://127.0.0.1:8080 --clients 32 --seconds 10
//! ```
//!
//! Without a URL it starts `riskreg serve --addr 127.0.0.1:0` (the binary next
//! to this example, on `$RISKREG_INDEX`/`index`) and stops it afterwards.
//! Only loopback addresses are accepted, and the run stops by itself.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The mix of requests: chapter and passage searches of several shapes.
const TARGETS: &[&str] = &[
    "/api/search?q=human+trafficking&by=chapter",
    "/api/search?q=human+trafficking",
    "/api/search?q=%22debt+bondage%22",
    "/api/search?q=recruit*+doc:ror",
    "/api/search?q=grooming+OR+coercion&by=chapter",
    "/api/search?q=livestreaming+page:200..230",
    "/api/search?q=%22advertisements+for+overseas+modelling+work%22",
    "/api/docs",
];

struct Args {
    url: Option<String>,
    clients: usize,
    seconds: u64,
}

fn parse_args() -> Args {
    let mut a = Args { url: None, clients: 32, seconds: 10 };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--clients" => a.clients = it.next().and_then(|v| v.parse().ok()).expect("--clients N"),
            "--seconds" => a.seconds = it.next().and_then(|v| v.parse().ok()).expect("--seconds N"),
            url if url.starts_with("http://") => a.url = Some(url.to_string()),
            other => panic!(
                "unknown argument {other}; usage: serve_load [http://127.0.0.1:PORT] [--clients N] [--seconds N]"
            ),
        }
    }
    // Bounded, whatever is asked.
    a.clients = a.clients.clamp(1, 256);
    a.seconds = a.seconds.clamp(1, 60);
    a
}

/// Start the riskreg binary next to this example on a free loopback port.
fn start_server() -> (Child, SocketAddr) {
    let exe = std::env::current_exe().expect("own path");
    let bin = exe.parent().and_then(|p| p.parent()).map(|p| p.join("riskreg")).expect("target dir");
    assert!(bin.exists(), "{} is missing: build it with `cargo build --release`", bin.display());
    let mut child = Command::new(&bin)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("riskreg serve starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("riskreg serve exited before listening").expect("stderr");
        eprintln!("{line}");
        if let Some(rest) = line.strip_prefix("serving ").and_then(|l| l.split(" on http://").nth(1)) {
            break rest.split_whitespace().next().unwrap().parse().expect("address");
        }
    };
    // Keep draining stderr so the server never blocks on it.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

/// Send one request on a keep-alive connection; the status code.
fn request(conn: &mut BufReader<TcpStream>, addr: SocketAddr, target: &str) -> std::io::Result<u16> {
    write!(conn.get_mut(), "GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n")?;
    let mut line = String::new();
    conn.read_line(&mut line)?;
    let status: u16 =
        line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or(std::io::ErrorKind::InvalidData)?;
    let mut length = 0usize;
    loop {
        line.clear();
        if conn.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().map_err(|_| std::io::ErrorKind::InvalidData)?;
            }
            if k.eq_ignore_ascii_case("transfer-encoding") {
                return Err(std::io::Error::other("chunked answers are not expected"));
            }
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body)?;
    Ok(status)
}

fn connect(addr: SocketAddr) -> std::io::Result<BufReader<TcpStream>> {
    let s = TcpStream::connect(addr)?;
    s.set_nodelay(true)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    Ok(BufReader::new(s))
}

struct Tally {
    latencies_us: Vec<u32>,
    errors: usize,
    first_error: Option<String>,
}

fn client(addr: SocketAddr, until: Instant, offset: usize) -> Tally {
    let mut t = Tally { latencies_us: Vec::new(), errors: 0, first_error: None };
    let mut conn = None;
    let mut i = offset;
    while Instant::now() < until {
        let target = TARGETS[i % TARGETS.len()];
        i += 1;
        let start = Instant::now();
        let result = match conn.as_mut() {
            Some(c) => request(c, addr, target),
            None => connect(addr).and_then(|mut c| {
                let r = request(&mut c, addr, target);
                conn = Some(c);
                r
            }),
        };
        match result {
            Ok(200) => t.latencies_us.push(start.elapsed().as_micros().min(u32::MAX as u128) as u32),
            Ok(code) => {
                t.errors += 1;
                t.first_error.get_or_insert_with(|| format!("{target}: status {code}"));
            }
            Err(e) => {
                t.errors += 1;
                t.first_error.get_or_insert_with(|| format!("{target}: {e}"));
                conn = None;
            }
        }
    }
    t
}

fn ms(us: u32) -> String {
    format!("{:.2} ms", us as f64 / 1000.0)
}

fn main() {
    let args = parse_args();
    let (mut server, addr) = match &args.url {
        Some(url) => {
            let hostport = url.trim_start_matches("http://").trim_end_matches('/');
            let addr: SocketAddr = hostport.parse().expect("the URL must be http://IP:PORT");
            (None, addr)
        }
        None => {
            let (child, addr) = start_server();
            (Some(child), addr)
        }
    };
    assert!(addr.ip().is_loopback(), "load runs only against loopback addresses, not {addr}");

    // Warm up: one pass over every target, each must answer 200.
    let mut warm = connect(addr).expect("connect");
    for t in TARGETS {
        let code = request(&mut warm, addr, t).expect("warm-up request");
        assert_eq!(code, 200, "{t} answered {code}");
    }
    drop(warm);

    let start = Instant::now();
    let until = start + Duration::from_secs(args.seconds);
    let handles: Vec<_> = (0..args.clients).map(|i| std::thread::spawn(move || client(addr, until, i))).collect();
    let tallies: Vec<Tally> = handles.into_iter().map(|h| h.join().expect("client thread")).collect();
    let elapsed = start.elapsed().as_secs_f64();

    let mut all: Vec<u32> = tallies.iter().flat_map(|t| t.latencies_us.iter().copied()).collect();
    all.sort_unstable();
    let errors: usize = tallies.iter().map(|t| t.errors).sum();
    let pct = |p: f64| all.get(((all.len() as f64 * p).ceil() as usize).saturating_sub(1)).copied().unwrap_or(0);
    println!(
        "{} clients for {:.1} s on http://{addr} ({} kinds of request, keep-alive)",
        args.clients,
        elapsed,
        TARGETS.len()
    );
    println!(
        "{} requests ({:.0} requests/s); p50 {}, p99 {}, slowest {}; {} errors",
        all.len() + errors,
        (all.len() + errors) as f64 / elapsed,
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(all.last().copied().unwrap_or(0)),
        errors
    );
    if let Some(e) = tallies.iter().find_map(|t| t.first_error.clone()) {
        println!("first error: {e}");
    }
    if let Some(child) = server.as_mut() {
        stop_server(child);
    }
    if errors > 0 {
        std::process::exit(1);
    }
}

/// Stop the server this run started.
fn stop_server(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}
