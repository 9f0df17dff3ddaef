//! Tells a failing peer from a lying one. The federation library parses any answer body, so a
//! peer's `503` page would look like an invalid document (the sender's fault, 4xx). This client
//! middleware turns 5xx answers into transport errors first, which stay 502 (worth retrying).

use reqwest_middleware::{Middleware, Next};

/// Client middleware: a 5xx answer from a peer is an error, not a document.
pub struct ServerErrors;

/// A peer answered with a server error.
#[derive(Debug, thiserror::Error)]
#[error("{url} answered {status}")]
struct PeerFailed {
    url: String,
    status: reqwest::StatusCode,
}

#[async_trait::async_trait]
impl Middleware for ServerErrors {
    async fn handle(
        &self,
        req: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let url = req.url().to_string();
        let res = next.run(req, extensions).await?;
        if res.status().is_server_error() {
            return Err(reqwest_middleware::Error::middleware(PeerFailed {
                url,
                status: res.status(),
            }));
        }
        Ok(res)
    }
}

/// The client every request to peers goes through.
pub fn client(inner: reqwest::Client) -> reqwest_middleware::ClientWithMiddleware {
    reqwest_middleware::ClientBuilder::new(inner)
        .with(ServerErrors)
        .build()
}
