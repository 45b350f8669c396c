//! Which names a request may address the server by (its `Host`).
//!
//! A web page on another site can point its own name at 127.0.0.1 (DNS
//! rebinding) and then read this server's answers as if they were its own;
//! its requests still say `Host: evil.example`. So a request is answered only
//! when its `Host` names this server:
//!
//! - the IP address it is bound to, with or without a port;
//! - `localhost`, when that address is a loopback one;
//! - bound to every address (`0.0.0.0` or `[::]`): any IP address, and
//!   `localhost` (a rebinding page cannot make a browser send an IP address
//!   or `localhost` as its Host: those are never its own name);
//! - each `--allow-host` name (the name a proxy in front forwards).
//!
//! The port is not compared: a proxy may forward its own, and the name is
//! what a rebinding page cannot choose. Every route is checked, `/healthz`
//! included (a health check by IP address or through the proxy passes).

use std::net::{IpAddr, SocketAddr};

/// The names a request may use to reach the server.
#[derive(Debug, Clone)]
pub struct Hosts {
    bound: SocketAddr,
    /// `--allow-host` names, lower case, without a trailing dot.
    allowed: Vec<String>,
}

impl Hosts {
    pub fn new(bound: SocketAddr, allowed: &[String]) -> Hosts {
        Hosts { bound, allowed: allowed.iter().map(|h| normal(h)).collect() }
    }

    /// Whether a `Host` header's value (`name`, `name:port`, `[v6]:port`) names this server.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = name_of(host) else { return false };
        if self.allowed.contains(&name) {
            return true;
        }
        let ip = self.bound.ip();
        if name == "localhost" {
            return ip.is_loopback() || ip.is_unspecified();
        }
        match name.parse::<IpAddr>() {
            Ok(asked) => ip.is_unspecified() || asked == ip,
            Err(_) => false,
        }
    }

    /// The answer's message for a refused `Host`.
    pub fn refusal(&self, host: Option<&str>) -> String {
        let shown: String = host.unwrap_or_default().chars().take(100).collect();
        let via = if self.bound.ip().is_loopback() { " or localhost" } else { "" };
        match host {
            None => {
                format!("the request has no Host header; this server answers requests addressed to {}{via}", self.bound)
            }
            Some(_) => format!(
                "this server does not answer to the name \"{shown}\" (it answers to {}{via}); if it is served \
                 under that name, start it with --allow-host {}",
                self.bound,
                name_of(&shown).unwrap_or_else(|| "NAME".into())
            ),
        }
    }
}

/// The name part of a `Host` value: lower case, brackets and port and a
/// trailing dot taken off; `None` when it is not a name.
fn name_of(host: &str) -> Option<String> {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(|p| p.parse::<u16>().is_ok())) {
            return None;
        }
        v6
    } else {
        match host.split_once(':') {
            Some((name, port)) if port.parse::<u16>().is_ok() => name,
            Some(_) => return None,
            None => host,
        }
    };
    let name = normal(name);
    (!name.is_empty()).then_some(name)
}

fn normal(name: &str) -> String {
    name.trim().trim_start_matches('[').trim_end_matches(']').trim_end_matches('.').to_ascii_lowercase()
}

/// `--allow-host NAME`: a host name or an IP address, without scheme, port or path.
pub fn check_allow_host(s: &str) -> Result<String, String> {
    let n = normal(s);
    let ok = !n.is_empty()
        && (n.parse::<IpAddr>().is_ok()
            || n.split('.')
                .all(|label| !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')));
    if ok {
        Ok(n)
    } else {
        Err(format!(
            "{s}: give a host name as a browser sends it, without scheme, port or path, e.g. riskreg.example.org"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(bound: &str, allowed: &[&str]) -> Hosts {
        Hosts::new(bound.parse().unwrap(), &allowed.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn loopback_answers_to_its_address_and_localhost_only() {
        let h = hosts("127.0.0.1:8080", &[]);
        for ok in ["127.0.0.1", "127.0.0.1:8080", "localhost", "LOCALHOST:8080", "localhost.", "127.0.0.1:9"] {
            assert!(h.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "127.0.0.2",
            "10.0.0.1:8080",
            "",
            "localhost:x",
            "127.0.0.1:8080:1",
            "localhost.evil.example",
        ] {
            assert!(!h.allows(bad), "{bad}");
        }
        let v6 = hosts("[::1]:8080", &[]);
        assert!(v6.allows("[::1]:8080") && v6.allows("[::1]") && v6.allows("localhost"));
        assert!(!v6.allows("[::2]:8080") && !v6.allows("[::1]x"));
    }

    #[test]
    fn every_address_answers_to_any_ip_and_the_allowed_names() {
        let h = hosts("0.0.0.0:8080", &["Riskreg.Example.org."]);
        for ok in ["192.168.1.20:8080", "[fe80::1]:8080", "localhost", "riskreg.example.org", "RISKREG.example.org:443"]
        {
            assert!(h.allows(ok), "{ok}");
        }
        for bad in ["evil.example", "example.org", "sub.riskreg.example.org"] {
            assert!(!h.allows(bad), "{bad}");
        }
        let specific = hosts("192.168.1.20:8080", &[]);
        assert!(specific.allows("192.168.1.20:8080") && !specific.allows("localhost") && !specific.allows("10.0.0.1"));
    }

    #[test]
    fn the_refusal_names_the_option() {
        let h = hosts("127.0.0.1:8080", &[]);
        assert_eq!(
            h.refusal(Some("Evil.example:8080")),
            "this server does not answer to the name \"Evil.example:8080\" (it answers to 127.0.0.1:8080 or \
             localhost); if it is served under that name, start it with --allow-host evil.example"
        );
        assert!(h.refusal(None).starts_with("the request has no Host header"));
    }

    #[test]
    fn allow_host_values() {
        assert_eq!(check_allow_host("Riskreg.Example.org"), Ok("riskreg.example.org".into()));
        assert_eq!(check_allow_host("[::1]"), Ok("::1".into()));
        for bad in ["", "http://x.org", "x.org:443", "x.org/path", "a..b", "*"] {
            assert!(check_allow_host(bad).is_err(), "{bad}");
        }
    }
}
