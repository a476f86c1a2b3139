//! The little HTTP server `aidmap serve` needs, behind an interface of our own.
//!
//! The rest of `serve/` sees a `Request` (a method and a path) and answers with a
//! `Response` (status, content type, body, extra headers); only this file knows how HTTP
//! is spoken. Swapping the implementation means rewriting this file only.
//!
//! It is a small HTTP/1.1 server over `std::net`, written for one threat: a page the
//! developer visits in the same browser, or a program on the same machine, trying to read
//! the preview or to stop it answering. (tiny_http, used before, has no socket timeouts,
//! no limit on the size of a request's head and a thread per connection, and none of
//! that can be configured.) So:
//!
//! - it listens on 127.0.0.1 only, and answers only requests whose `Host` names the
//!   loopback address (`127.0.0.1`, `localhost`, `[::1]`, with the bound port or none):
//!   a web page that rebinds its own name to 127.0.0.1 sends its own name and is refused;
//! - a fixed pool of `WORKERS` threads answers one request per connection, then closes
//!   it (`Connection: close`), so an idle keep-alive connection never holds a worker;
//! - every read and write has a timeout, and reading the head and writing the answer
//!   each have a deadline, so a client that sends slowly or never reads its answer
//!   holds a worker for a few seconds at most;
//! - the head is parsed by `httparse` (hyper's parser) and bounded (414, 431), only
//!   `GET` and `HEAD` are served (405), a request body is never read.

use std::io::{Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;

/// Threads answering requests. A browser opens at most six connections to one host, and
/// a page's live-reload poll one more; eight leaves room for a second tab. Each worker
/// is held by one connection for at most the deadlines below.
const WORKERS: usize = 8;

/// Accepted connections waiting for a worker. Beyond this the accepting thread waits,
/// and further connections wait in the kernel's listen queue: memory stays bounded
/// however many connections arrive.
const QUEUE: usize = 4 * WORKERS;

/// The longest one read or write may wait with no progress. On loopback a live client
/// answers in microseconds; a client that stops reading or sending for this long is gone
/// or hostile, and its worker is freed.
const IO_TIMEOUT: Duration = Duration::from_secs(2);

/// The longest a client may take to send a request's head, however it trickles it (a
/// "slowloris" client sending a byte a second defeats `IO_TIMEOUT` alone). A browser
/// sends the head in one packet.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);

/// The longest writing one answer may take. The biggest file of a site (a PDF of
/// leaflets, a CSV export: tens of megabytes) takes milliseconds over loopback; this
/// only stops a client that reads just fast enough to beat `IO_TIMEOUT`.
const WRITE_DEADLINE: Duration = Duration::from_secs(30);

/// The longest request line (method, target, version). Site paths are short; 8 KiB is
/// what Apache (`LimitRequestLine`) and nginx (`large_client_header_buffers`) allow.
const MAX_REQUEST_LINE: usize = 8 * 1024;

/// The longest head (request line and every header). Browsers send cookies for
/// `localhost` from every local app, whatever its port, so this leaves room for a few
/// kilobytes of them; Node's default is 16 KiB.
const MAX_HEAD: usize = 32 * 1024;

/// The most header lines in one request (Apache's `LimitRequestFields`).
const MAX_HEADERS: usize = 100;

/// After refusing a request we did not read to the end, we read and discard what the
/// client is still sending for up to this long and this many bytes before closing: closing
/// a socket with unread data resets the connection, and the client might lose the answer.
const DRAIN_DEADLINE: Duration = Duration::from_secs(1);
/// See `DRAIN_DEADLINE`.
const DRAIN_LIMIT: usize = 256 * 1024;

/// Bytes asked of one `read` while reading a head, and given to one `write`: small
/// enough that the write deadline is checked often.
const CHUNK: usize = 64 * 1024;

/// How long the accepting thread pauses after `accept` fails (say, out of file
/// descriptors), instead of spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// What the handler is asked. The method is always `GET` or `HEAD`.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET` or `HEAD`.
    pub method: String,
    /// The path without the query string, percent-decoded, such as `/groups/x/`.
    pub path: String,
}

/// What the handler answers.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Value of `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// Other headers: (name, value).
    pub headers: Vec<(&'static str, String)>,
}

impl Response {
    /// A response with a body.
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            content_type,
            body: body.into(),
            headers: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// A short plain-text refusal.
    fn plain(status: u16, text: &str) -> Self {
        Response::new(status, "text/plain; charset=utf-8", format!("{text}\n"))
    }
}

/// A bound server, not yet answering.
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
}

impl Server {
    /// Binds to 127.0.0.1 on `port` (0 picks a free port).
    pub fn bind(port: u16) -> Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        let addr = listener.local_addr()?;
        Ok(Server { listener, addr })
    }

    /// The address actually bound.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers requests with `handler` on `WORKERS` threads; accepts connections on the
    /// calling thread and never returns.
    pub fn run<F>(self, handler: F)
    where
        F: Fn(&Request) -> Response + Send + Sync + 'static,
    {
        let handler = Arc::new(handler);
        let (tx, rx) = sync_channel::<TcpStream>(QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        let port = self.addr.port();
        for _ in 0..WORKERS {
            let rx = Arc::clone(&rx);
            let handler = Arc::clone(&handler);
            std::thread::spawn(move || work(&rx, port, &*handler));
        }
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if tx.send(stream).is_err() {
                        // Every worker has gone; nothing can answer any more.
                        return;
                    }
                }
                Err(_) => std::thread::sleep(ACCEPT_BACKOFF),
            }
        }
    }
}

/// One worker: takes connections from the queue and answers one request on each.
fn work(rx: &Mutex<Receiver<TcpStream>>, port: u16, handler: &dyn Fn(&Request) -> Response) {
    loop {
        let next = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(stream) = next else {
            return;
        };
        answer(stream, port, handler);
    }
}

/// Reads one request from `stream`, answers it and closes the connection. Every failure
/// is the client's (gone, slow, malformed): it is answered if it can be, never reported.
fn answer(mut stream: TcpStream, port: u16, handler: &dyn Fn(&Request) -> Response) {
    // Small heads and bodies are written separately; without this, Nagle's algorithm
    // and delayed acknowledgements add tens of milliseconds to every answer.
    let _ = stream.set_nodelay(true);
    if stream.set_read_timeout(Some(IO_TIMEOUT)).is_err()
        || stream.set_write_timeout(Some(IO_TIMEOUT)).is_err()
    {
        return;
    }
    let (request, has_body) = match read_head(&mut stream, port) {
        Ok(parsed) => parsed,
        Err(Unreadable::Gone) => return,
        Err(Unreadable::TooSlow) => {
            // No drain: a slow client would only hold the worker longer.
            let r = Response::plain(408, "the request took too long to arrive");
            let _ = write_response(&mut stream, r, false);
            return;
        }
        Err(Unreadable::Refused(r)) => {
            if write_response(&mut stream, r, false) {
                drain(&mut stream);
            }
            return;
        }
    };
    let head_only = request.method == "HEAD";
    // A panicking handler would take its worker with it and shrink the pool for good.
    let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(&request)))
        .unwrap_or_else(|_| Response::plain(500, "the preview server failed on this request"));
    if write_response(&mut stream, response, head_only) && has_body {
        drain(&mut stream);
    }
}

/// Why no request head could be read.
enum Unreadable {
    /// The connection closed or failed: there is no one to answer.
    Gone,
    /// The client stopped sending, or sent too slowly (408).
    TooSlow,
    /// The head is too big, malformed or refused: answer this and close.
    Refused(Response),
}

/// Reads a request's head within `HEAD_DEADLINE` and `MAX_HEAD` bytes and checks it: the
/// request, with whether the client says a body follows. Bytes after the head (a body the
/// client should not have sent) are read but never looked at.
fn read_head(stream: &mut TcpStream, port: u16) -> Result<(Request, bool), Unreadable> {
    let deadline = Instant::now() + HEAD_DEADLINE;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            return Err(Unreadable::TooSlow);
        };
        if left.is_zero() || stream.set_read_timeout(Some(left.min(IO_TIMEOUT))).is_err() {
            return Err(Unreadable::TooSlow);
        }
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Err(Unreadable::Gone),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(Unreadable::TooSlow)
            }
            Err(_) => return Err(Unreadable::Gone),
        };
        let before = buf.len();
        buf.extend_from_slice(&chunk[..n]);
        // A head ends, and httparse refuses a line, only at a new line; the limits are
        // checked when the buffer first passes them. Parsing only then keeps a client
        // that trickles a byte at a time from making us parse the head on every byte.
        let crossed = |limit: usize| before <= limit && buf.len() > limit;
        if !chunk[..n].contains(&b'\n') && !crossed(MAX_REQUEST_LINE) && !crossed(MAX_HEAD) {
            continue;
        }
        if let Some(parsed) = parse_head(&buf, port) {
            return parsed.map_err(Unreadable::Refused);
        }
    }
}

/// Parses the head at the start of `buf` (with `httparse`) within our limits, then checks
/// it: `None` while the head is incomplete and within the limits, else the request with
/// whether the client says a body follows, or the refusal to send.
fn parse_head(buf: &[u8], port: u16) -> Option<Result<(Request, bool), Response>> {
    // httparse skips empty lines before the request line (RFC 9112 section 2.2), so the
    // request line's length is counted from the first byte that is not one.
    let start = buf
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(buf.len());
    let line_len = buf[start..]
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(buf.len() - start);
    if line_len > MAX_REQUEST_LINE {
        return Some(Err(Response::plain(414, "the request line is too long")));
    }
    let too_large = || Response::plain(431, "the request's headers are too large");
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(buf) {
        Ok(httparse::Status::Complete(len)) if len > MAX_HEAD => Some(Err(too_large())),
        Ok(httparse::Status::Complete(_)) => Some(check_head(&req, port)),
        Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => Some(Err(too_large())),
        Ok(httparse::Status::Partial) => None,
        Err(httparse::Error::TooManyHeaders) => Some(Err(Response::plain(431, "too many headers"))),
        Err(httparse::Error::Version) if names_other_version(&buf[start..start + line_len]) => {
            Some(Err(Response::plain(505, "only HTTP/1.0 and HTTP/1.1")))
        }
        Err(e) => Some(Err(Response::plain(
            400,
            &format!("malformed request: {e}"),
        ))),
    }
}

/// Does this request line, which httparse refused for its version, name a version of
/// HTTP we do not speak (505), rather than being malformed (400)? Only when it is three
/// fields, single-spaced, the last starting `HTTP/`.
fn names_other_version(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let fields: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
    matches!(fields.as_slice(), [m, t, v] if !m.is_empty() && !t.is_empty() && v.starts_with(b"HTTP/"))
}

/// Our policy on a parsed head: one loopback `Host` (required in HTTP/1.1), `GET` or
/// `HEAD`, a path as the target. Returns our `Request`, with whether a body follows.
fn check_head(req: &httparse::Request<'_, '_>, port: u16) -> Result<(Request, bool), Response> {
    let bad = |why: &str| Response::plain(400, why);
    // httparse sets all three on a complete head, and only versions 1.0 and 1.1.
    let (Some(method), Some(target), Some(version)) = (req.method, req.path, req.version) else {
        return Err(bad("malformed request line"));
    };
    let http11 = version == 1;
    let mut hosts = Vec::new();
    let mut has_body = false;
    for h in req.headers.iter() {
        let value = h.value.trim_ascii();
        if h.name.eq_ignore_ascii_case("host") {
            hosts.push(value);
        } else if h.name.eq_ignore_ascii_case("transfer-encoding")
            || (h.name.eq_ignore_ascii_case("content-length") && value != b"0")
        {
            has_body = true;
        }
    }
    match hosts.as_slice() {
        [] if http11 => return Err(bad("a Host header is required")),
        [] => {}
        [host] => {
            // A value that is not UTF-8 is no loopback name.
            if !std::str::from_utf8(host).is_ok_and(|h| is_loopback_host(h, port)) {
                return Err(Response::plain(
                    403,
                    "aidmap serve answers only requests addressed to 127.0.0.1, localhost or [::1]",
                ));
            }
        }
        _ => return Err(bad("more than one Host header")),
    }
    if method != "GET" && method != "HEAD" {
        return Err(Response::plain(405, "only GET and HEAD").with_header("Allow", "GET, HEAD"));
    }
    // Origin form only: an absolute URL would name a host of its own.
    if !target.starts_with('/') {
        return Err(bad("the request target must be a path"));
    }
    let request = Request {
        method: method.to_string(),
        path: decode_path(target),
    };
    Ok((request, has_body))
}

/// Is `host` (a `Host` header's value) the loopback address, with no port or `port`?
fn is_loopback_host(host: &str, port: u16) -> bool {
    let (name, rest) = match host.strip_prefix('[') {
        Some(inside) => match inside.split_once(']') {
            Some(("::1", rest)) => ("[::1]", rest),
            _ => return false,
        },
        None => match host.find(':') {
            Some(at) => host.split_at(at),
            None => (host, ""),
        },
    };
    let port_ok = match rest.strip_prefix(':') {
        None => rest.is_empty(),
        Some(digits) => {
            !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && digits.parse::<u16>() == Ok(port)
        }
    };
    port_ok && (name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost"))
}

/// Writes `r` (only its head when `head_only`) within `WRITE_DEADLINE`; false when the
/// client did not take it.
fn write_response(stream: &mut TcpStream, r: Response, head_only: bool) -> bool {
    let mut head = format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status));
    let mut add = |name: &str, value: &str| {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(&header_value(value));
        head.push_str("\r\n");
    };
    add("Content-Type", r.content_type);
    add("Content-Length", &r.body.len().to_string());
    add("Cache-Control", "no-store");
    add("Connection", "close");
    for (name, value) in &r.headers {
        add(name, value);
    }
    head.push_str("\r\n");
    let deadline = Instant::now() + WRITE_DEADLINE;
    write_by(stream, head.as_bytes(), deadline)
        && (head_only || write_by(stream, &r.body, deadline))
}

/// Writes all of `bytes` before `deadline`, with no single write waiting longer than
/// `IO_TIMEOUT`; false when the client is gone or too slow.
fn write_by(stream: &mut TcpStream, mut bytes: &[u8], deadline: Instant) -> bool {
    while !bytes.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero()
            || stream
                .set_write_timeout(Some(left.min(IO_TIMEOUT)))
                .is_err()
        {
            return false;
        }
        match stream.write(&bytes[..bytes.len().min(CHUNK)]) {
            Ok(0) => return false,
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    true
}

/// Ends our side and reads what the client still sends, within `DRAIN_DEADLINE` and
/// `DRAIN_LIMIT`, so that closing does not reset the connection under our answer.
fn drain(stream: &mut TcpStream) {
    if stream.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let deadline = Instant::now() + DRAIN_DEADLINE;
    let mut chunk = [0u8; 4096];
    let mut read = 0;
    while read < DRAIN_LIMIT {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => read += n,
        }
    }
}

/// A header value as it may go on the wire: control characters (CR and LF above all,
/// which would start a header of their own) and non-ASCII bytes are percent-escaped.
/// Our values are media types, numbers and paths, for which that is the right escape.
fn header_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if (0x20..0x7f).contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The reason phrase for the statuses we send.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// Drops the query and fragment and decodes `%XX` escapes (invalid UTF-8 is replaced).
fn decode_path(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The content type for a file name, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_paths() {
        assert_eq!(decode_path("/a%20b/?x=1"), "/a b/");
        assert_eq!(decode_path("/caf%C3%A9"), "/café");
        assert_eq!(decode_path("/bad%zz%"), "/bad%zz%");
        assert_eq!(decode_path("/x%4"), "/x%4");
    }

    #[test]
    fn types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/xml");
        assert_eq!(content_type("schema/group.schema.json"), "application/json");
        assert_eq!(content_type("_headers"), "application/octet-stream");
    }

    #[test]
    fn only_loopback_hosts() {
        for ok in [
            "127.0.0.1",
            "127.0.0.1:8000",
            "localhost",
            "LocalHost:8000",
            "[::1]",
            "[::1]:8000",
        ] {
            assert!(is_loopback_host(ok, 8000), "{ok}");
        }
        for refused in [
            "evil.example",
            "evil.example:8000",
            "127.0.0.1:8001",
            "127.0.0.1:",
            "127.0.0.1:+8000",
            "localhost.:8000",
            "localhost.evil.example",
            "127.0.0.2:8000",
            "[::2]:8000",
            "[::1]x",
            "[::1",
            "",
            "0.0.0.0:8000",
        ] {
            assert!(!is_loopback_host(refused, 8000), "{refused}");
        }
    }

    /// The status `parse_head` gives a whole head (the blank line added); 0 while it
    /// waits for more.
    fn status(head: &str) -> u16 {
        match parse_head(format!("{head}\r\n\r\n").as_bytes(), 8000) {
            None => 0,
            Some(Ok(_)) => 200,
            Some(Err(r)) => r.status,
        }
    }

    #[test]
    fn checks_heads() {
        assert_eq!(status("GET / HTTP/1.1\r\nHost: 127.0.0.1:8000"), 200);
        assert_eq!(status("HEAD /x HTTP/1.1\nhost: localhost"), 200);
        assert_eq!(status("GET / HTTP/1.0"), 200);
        assert_eq!(status("GET / HTTP/1.1"), 400);
        assert_eq!(status("GET / HTTP/1.1\r\nHost: evil.example"), 403);
        assert_eq!(status("GET / HTTP/1.0\r\nHost: evil.example"), 403);
        assert_eq!(status("GET / HTTP/1.1\r\nHost: caf\u{e9}"), 403);
        assert_eq!(
            status("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example"),
            400
        );
        assert_eq!(status("POST / HTTP/1.1\r\nHost: 127.0.0.1"), 405);
        assert_eq!(
            status("GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1"),
            400
        );
        // A version we do not speak, as against a malformed request line.
        assert_eq!(status("GET / HTTP/2.0\r\nHost: 127.0.0.1"), 505);
        assert_eq!(status("GET / HTTP/1.2\r\nHost: 127.0.0.1"), 505);
        assert_eq!(status("GET /  HTTP/1.1\r\nHost: 127.0.0.1"), 400);
        assert_eq!(status("GET / FTP/1.1\r\nHost: 127.0.0.1"), 400);
        // A folded line, or a name with a space, must not hide a second Host.
        assert_eq!(status("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n folded"), 400);
        assert_eq!(status("GET / HTTP/1.1\r\nHost : 127.0.0.1"), 400);
        let (r, body) = parse_head(
            b"GET /a%20b?q=1 HTTP/1.1\r\nHost: [::1]:8000\r\nContent-Length: 3\r\n\r\n",
            8000,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            (r.method.as_str(), r.path.as_str(), body),
            ("GET", "/a b", true)
        );
    }

    #[test]
    fn bounds_heads() {
        let host = "Host: 127.0.0.1\r\n";
        let many = "X: y\r\n".repeat(MAX_HEADERS - 1);
        assert_eq!(status(&format!("GET / HTTP/1.1\r\n{host}{many}")), 200);
        let many = "X: y\r\n".repeat(MAX_HEADERS);
        assert_eq!(status(&format!("GET / HTTP/1.1\r\n{host}{many}")), 431);
        // Refused as soon as the limit is passed, before the head ends.
        let partial = format!("GET / HTTP/1.1\r\n{host}{}", "X: y\r\n".repeat(MAX_HEADERS));
        assert_eq!(
            parse_head(partial.as_bytes(), 8000)
                .unwrap()
                .unwrap_err()
                .status,
            431
        );
        assert!(parse_head(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", 8000).is_none());

        let line = |len: usize| format!("GET /{} HTTP/1.1", "a".repeat(len));
        assert_eq!(
            status(&format!("{}\r\n{host}", line(MAX_REQUEST_LINE - 20))),
            200
        );
        assert_eq!(
            status(&format!("{}\r\n{host}", line(MAX_REQUEST_LINE))),
            414
        );
        // Empty lines before the request line do not shorten it.
        assert_eq!(
            status(&format!("\r\n\r\n{}\r\n{host}", line(MAX_REQUEST_LINE))),
            414
        );
        let unended = line(MAX_REQUEST_LINE);
        assert_eq!(
            parse_head(unended.as_bytes(), 8000)
                .unwrap()
                .unwrap_err()
                .status,
            414
        );

        let pad = |len: usize| format!("GET / HTTP/1.1\r\n{host}X: {}", "b".repeat(len));
        assert_eq!(status(&pad(MAX_HEAD - 100)), 200);
        assert_eq!(status(&pad(MAX_HEAD)), 431);
        let unended = pad(MAX_HEAD);
        assert_eq!(
            parse_head(unended.as_bytes(), 8000)
                .unwrap()
                .unwrap_err()
                .status,
            431
        );
    }

    #[test]
    fn header_values_cannot_start_a_header() {
        assert_eq!(
            header_value("/caf\u{e9}/\r\nSet-Cookie: x"),
            "/caf%C3%A9/%0D%0ASet-Cookie: x"
        );
    }
}
