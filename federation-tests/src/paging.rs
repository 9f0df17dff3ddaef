//! An HTTP client for the client-API tests that need answers' headers: `Link` pagination
//! followed as masto.js and megalodon follow it, and content types.

use reqwest::header::{HeaderMap, LINK};
use serde_json::Value;

/// A signed-in member (or an anonymous visitor) of one node.
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Client {
    /// Signs `user` in with `password`.
    pub async fn login(base: &str, user: &str, password: &str) -> Client {
        let api = crate::api::Api::login(base, user, password).await;
        Client {
            http: reqwest::Client::new(),
            base: base.into(),
            token: api.token,
        }
    }

    /// A visitor without a token.
    pub fn anonymous(base: &str) -> Client {
        Client {
            http: reqwest::Client::new(),
            base: base.into(),
            token: None,
        }
    }

    /// A request to a path of the node or a full URL, with the token if any.
    pub fn req(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        let url = if url.starts_with("http") {
            url.to_string()
        } else {
            format!("{}{url}", self.base)
        };
        let rb = self.http.request(method, url);
        match &self.token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    /// GET a path or a full URL: status, headers, JSON body (`Null` when not JSON).
    pub async fn get(&self, url: &str) -> (u16, HeaderMap, Value) {
        let r = self
            .req(reqwest::Method::GET, url)
            .send()
            .await
            .expect("get");
        let (status, headers) = (r.status().as_u16(), r.headers().clone());
        (status, headers, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .req(reqwest::Method::POST, path)
            .json(&body)
            .send()
            .await
            .expect("post");
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    pub async fn status(&self, body: Value) -> String {
        let (s, v) = self.post("/api/v1/statuses", body).await;
        assert_eq!(s, 200, "post status: {v}");
        v["id"].as_str().expect("id").to_string()
    }

    /// Follows `Link: rel="next"` from `first` to the end: every page's ids, and the links taken.
    pub async fn walk(&self, first: &str) -> (Vec<Vec<String>>, Vec<String>) {
        let (mut pages, mut links) = (Vec::new(), Vec::new());
        let mut url = first.to_string();
        for _ in 0..30 {
            let (status, headers, body) = self.get(&url).await;
            assert_eq!(status, 200, "GET {url}: {body}");
            let ids: Vec<String> = body
                .as_array()
                .expect("list")
                .iter()
                .map(|i| i["id"].as_str().expect("id").to_string())
                .collect();
            if ids.is_empty() {
                break;
            }
            pages.push(ids);
            match link(&headers, "next") {
                Some(next) => {
                    links.push(next.clone());
                    url = next;
                }
                None => break,
            }
        }
        (pages, links)
    }
}

/// The URL of a `Link` relation.
pub fn link(headers: &HeaderMap, rel: &str) -> Option<String> {
    let value = headers.get(LINK)?.to_str().ok()?;
    value.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params.contains(&format!("rel=\"{rel}\"")).then(|| {
            url.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
    })
}

/// The decoded query parameters of a URL.
pub fn params(url: &str) -> Vec<(String, String)> {
    url::Url::parse(url)
        .expect("url")
        .query_pairs()
        .into_owned()
        .collect()
}

/// Whether a URL has the query parameter `key=value`.
pub fn has(url: &str, key: &str, value: &str) -> bool {
    params(url).iter().any(|(k, v)| k == key && v == value)
}
