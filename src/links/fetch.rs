//! Asking the network about one link: the HTTP client (ureq), the name lookup, and what
//! an answer means.
//!
//! Redirects are followed here, one hop at a time (at most [`MAX_HOPS`]), so every hop
//! is recorded and a hop to a login page is seen for what it is. Only `http` and
//! `https` hops are followed. The body of an answer is never read: the status says
//! enough, and nothing a stranger's page says reaches the report.
//!
//! A *login wall* is an answer that only a signed-in person gets past: a 401, a
//! redirect to a page whose address names a login, or from Facebook or WhatsApp (which
//! show most pages only to their members) a 403 or 429 too. Such a link is reported as
//! "needs a login to check", never as dead.
//!
//! Names are looked up through [`Lookup`]: the system's resolver for real use, which
//! refuses an address on a private network (a link to `http://10.0.0.1/` or a name that
//! points there would make the checker probe the machine's own network); or, for tests
//! only, a fixed table built in Rust code. No flag or environment variable selects the
//! table, so nothing in a directory or a workflow can turn the refusal off.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs as _};
use std::time::Duration;

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use super::{Kind, Verdict};

/// Most redirects followed from one link.
pub const MAX_HOPS: usize = 5;

/// How names become addresses.
#[derive(Debug, Clone, Default)]
pub enum Lookup {
    /// The system's resolver; addresses on private, loopback and link-local networks are
    /// refused.
    #[default]
    System,
    /// Tests: every name in the table goes to its address (private ones allowed), and
    /// every other name does not exist. Only Rust code can build this.
    Fixed(HashMap<String, SocketAddr>),
}

/// The marker in the error of a refused private address.
const PRIVATE: &str = "aidmap: private address";

/// ureq's resolver, wrapped so every lookup goes through [`Lookup`].
#[derive(Debug)]
struct Guarded {
    lookup: Lookup,
    inner: DefaultResolver,
}

impl Resolver for Guarded {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        match &self.lookup {
            Lookup::Fixed(table) => {
                let host = uri.host().unwrap_or_default().to_ascii_lowercase();
                let addr = table.get(&host).ok_or(ureq::Error::HostNotFound)?;
                let mut out = self.empty();
                out.push(*addr);
                Ok(out)
            }
            Lookup::System => {
                let found = self.inner.resolve(uri, config, timeout)?;
                let mut out = self.empty();
                for a in found.iter().filter(|a| is_public(a.ip())) {
                    out.push(*a);
                }
                if out.is_empty() {
                    return Err(ureq::Error::Io(std::io::Error::new(
                        std::io::ErrorKind::PermissionDenied,
                        PRIVATE,
                    )));
                }
                Ok(out)
            }
        }
    }
}

/// True for an address on the public internet.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80) // link-local
        }
    }
}

/// One checker: an HTTP agent with the timeouts, and the lookup.
pub struct Client {
    agent: ureq::Agent,
    lookup: Lookup,
}

/// What one link's check found, before it is dated and cached.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The verdict.
    pub verdict: Verdict,
    /// The last HTTP status seen, if any.
    pub status: Option<u16>,
    /// Each address a redirect led to, in order.
    pub redirects: Vec<String>,
}

impl Client {
    /// A client that gives up on one request after `timeout`.
    pub fn new(lookup: Lookup, timeout: Duration) -> Client {
        let fixed = matches!(lookup, Lookup::Fixed(_));
        let mut config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(concat!(
                "aidmap-link-check/",
                env!("CARGO_PKG_VERSION"),
                " (a mutual aid directory checking its listings)"
            ));
        if fixed {
            // A test's table must not be bypassed by a proxy from the environment.
            config = config.proxy(None);
        }
        let resolver = Guarded {
            lookup: lookup.clone(),
            inner: DefaultResolver::default(),
        };
        Client {
            agent: ureq::Agent::with_parts(config.build(), DefaultConnector::default(), resolver),
            lookup,
        }
    }

    /// Checks a web link of kind `kind`, following redirects.
    pub fn web(&self, kind: Kind, url: &str) -> Answer {
        let mut redirects = Vec::new();
        let mut at = url.to_string();
        let social = matches!(kind, Kind::Facebook | Kind::Whatsapp);
        loop {
            let response = match self.agent.get(&at).call() {
                Ok(r) => r,
                Err(e) => {
                    return Answer {
                        verdict: from_error(&e),
                        status: None,
                        redirects,
                    }
                }
            };
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            drop(response);
            let answer = |verdict, redirects| Answer {
                verdict,
                status: Some(status),
                redirects,
            };
            match status {
                200..=299 if social && is_login(&at) => {
                    return answer(Verdict::LoginWall, redirects)
                }
                200..=299 if redirects.is_empty() => return answer(Verdict::Ok, redirects),
                200..=299 => {
                    let to = at.clone();
                    return answer(Verdict::Moved { to }, redirects);
                }
                300..=399 => {
                    let Some(next) =
                        location.and_then(|l| url::Url::parse(&at).ok()?.join(&l).ok())
                    else {
                        return answer(
                            Verdict::Failing {
                                why: "answers a redirect that goes nowhere".into(),
                            },
                            redirects,
                        );
                    };
                    if !matches!(next.scheme(), "http" | "https") {
                        return answer(
                            Verdict::Failing {
                                why: format!("redirects to a `{}:` address", next.scheme()),
                            },
                            redirects,
                        );
                    }
                    let next = next.to_string();
                    redirects.push(next.clone());
                    if is_login(&next) {
                        return answer(Verdict::LoginWall, redirects);
                    }
                    if redirects.len() > MAX_HOPS {
                        return answer(
                            Verdict::Failing {
                                why: format!("redirects more than {MAX_HOPS} times"),
                            },
                            redirects,
                        );
                    }
                    at = next;
                }
                401 => return answer(Verdict::LoginWall, redirects),
                403 | 429 if social => return answer(Verdict::LoginWall, redirects),
                403 | 429 => return answer(Verdict::Refused, redirects),
                404 | 410 => return answer(Verdict::Dead, redirects),
                _ => {
                    return answer(
                        Verdict::Failing {
                            why: format!("answers {}", status_words(status)),
                        },
                        redirects,
                    )
                }
            }
        }
    }

    /// Checks that an e-mail domain has an address in the DNS (A or AAAA records; mail
    /// exchangers, MX, are not looked up: no small, well-kept crate does it simply).
    pub fn mail_domain(&self, domain: &str) -> Answer {
        let found = match &self.lookup {
            Lookup::Fixed(table) => table.contains_key(&domain.to_ascii_lowercase()),
            Lookup::System => (domain, 25u16)
                .to_socket_addrs()
                .is_ok_and(|mut a| a.next().is_some()),
        };
        Answer {
            verdict: if found {
                Verdict::Ok
            } else {
                Verdict::NoDomain
            },
            status: None,
            redirects: Vec::new(),
        }
    }
}

/// True when an address looks like a sign-in page.
fn is_login(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    let path = u.path().to_ascii_lowercase();
    let host = u.host_str().unwrap_or_default().to_ascii_lowercase();
    ["login", "signin", "sign-in", "sign_in", "checkpoint"]
        .iter()
        .any(|w| path.contains(w))
        || host.starts_with("login.")
        || host.starts_with("accounts.")
}

/// What a failed request means.
fn from_error(e: &ureq::Error) -> Verdict {
    use std::io::ErrorKind;
    let why = match e {
        ureq::Error::Timeout(_) => "gave no answer in time".to_string(),
        ureq::Error::HostNotFound => return Verdict::NoHost,
        ureq::Error::Io(io) if io.to_string().contains(PRIVATE) => {
            return Verdict::NotChecked {
                why:
                    "its name points to a private network address, which the checker does not visit"
                        .into(),
            }
        }
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe => {
                "dropped the connection".to_string()
            }
            ErrorKind::UnexpectedEof => "closed the connection without answering".to_string(),
            ErrorKind::ConnectionRefused => "refused the connection".to_string(),
            ErrorKind::TimedOut | ErrorKind::WouldBlock => "gave no answer in time".to_string(),
            _ => format!("could not be reached ({})", io.kind()),
        },
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => {
            "has a broken secure connection (TLS)".to_string()
        }
        ureq::Error::Protocol(_) => "answered something that is not HTTP".to_string(),
        other => format!("could not be reached ({other})"),
    };
    Verdict::Unreachable { why }
}

/// "500 Internal Server Error", or the number alone.
fn status_words(status: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(r) => format!("{status} {r}"),
        None => status.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.5",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn login_pages_are_recognised() {
        assert!(is_login("https://www.facebook.com/login/?next=x"));
        assert!(is_login("https://accounts.example.org/"));
        assert!(!is_login("https://example.org/groups/helpers"));
    }
}
