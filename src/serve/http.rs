//! The little HTTP server `aidmap serve` needs, behind an interface of our own.
//!
//! Only this file knows about tiny_http: the rest of `serve/` sees a `Request` (a method
//! and a path) and answers with a `Response` (status, content type, body, extra
//! headers). Swapping the HTTP library means rewriting this file only. Loopback only:
//! the preview server is for the person at the keyboard.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Result;

/// What the handler is asked.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `HEAD`, ...
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
}

/// A bound server, not yet answering.
pub struct Server {
    inner: Arc<tiny_http::Server>,
    addr: SocketAddr,
}

impl Server {
    /// Binds to 127.0.0.1 on `port` (0 picks a free port).
    pub fn bind(port: u16) -> Result<Server> {
        let inner = tiny_http::Server::http(("127.0.0.1", port))
            .map_err(|e| anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        let addr = inner
            .server_addr()
            .to_ip()
            .ok_or_else(|| anyhow::anyhow!("the server has no IP address"))?;
        Ok(Server {
            inner: Arc::new(inner),
            addr,
        })
    }

    /// The address actually bound.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers requests with `handler` on `threads` threads; returns when the server stops.
    pub fn run<F>(self, threads: usize, handler: F)
    where
        F: Fn(&Request) -> Response + Send + Sync + 'static,
    {
        let handler = Arc::new(handler);
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                let server = Arc::clone(&self.inner);
                let handler = Arc::clone(&handler);
                std::thread::spawn(move || {
                    for request in server.incoming_requests() {
                        let ours = Request {
                            method: request.method().as_str().to_string(),
                            path: decode_path(request.url()),
                        };
                        let answer = handler(&ours);
                        let head = ours.method == "HEAD";
                        // The client may have gone; there is no one to tell.
                        let _ = request.respond(to_tiny(answer, head));
                    }
                })
            })
            .collect();
        for w in workers {
            let _ = w.join();
        }
    }
}

fn to_tiny(r: Response, head: bool) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let mut out = tiny_http::Response::from_data(if head { Vec::new() } else { r.body })
        .with_status_code(r.status);
    let mut add = |name: &str, value: &str| {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            out.add_header(h);
        }
    };
    add("Content-Type", r.content_type);
    add("Cache-Control", "no-store");
    for (name, value) in &r.headers {
        add(name, value);
    }
    out
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
}
