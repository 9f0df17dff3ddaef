//! Browser hardening for every response: no content sniffing, and for HTML pages a content
//! security policy (no scripts, no framing by other sites) and a referrer policy that keeps
//! this node's URLs to itself. Headers a handler set itself (the sign-in page) are kept.

use axum::{
    http::{header, HeaderValue},
    response::Response,
};

/// The policy for server-rendered pages: they use no scripts or styles of their own, show images
/// from anywhere over https, and may not be framed (clickjacking).
const PAGE_CSP: &str = "default-src 'none'; img-src 'self' https: data:; style-src 'self'; \
                        base-uri 'none'; frame-ancestors 'none'";

/// Response middleware (`axum::middleware::map_response`).
pub async fn security_headers(mut res: Response) -> Response {
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = res.headers_mut();
    h.entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    if html {
        h.entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static(PAGE_CSP));
        h.entry(header::REFERRER_POLICY)
            .or_insert(HeaderValue::from_static("same-origin"));
        h.entry(header::X_FRAME_OPTIONS)
            .or_insert(HeaderValue::from_static("DENY"));
    }
    res
}
