//! A small client-API client for tests on a node served without background workers.

use cohort::Node;
use serde_json::{json, Value};

pub struct Client {
    http: reqwest::Client,
    base: String,
    pub token: String,
}

impl Client {
    pub async fn login(base: &str, user: &str, password: &str) -> Client {
        let http = reqwest::Client::new();
        let app: Value = http
            .post(format!("{base}/api/v1/apps"))
            .json(
                &json!({"client_name": "costs", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                          "scopes": "read write follow"}),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token: Value = http
            .post(format!("{base}/oauth/token"))
            .json(
                &json!({"grant_type": "password", "username": user, "password": password,
                          "client_id": app["client_id"], "client_secret": app["client_secret"],
                          "scope": "read write follow"}),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = token["access_token"].as_str().expect("token").to_string();
        Client {
            http,
            base: base.into(),
            token,
        }
    }

    pub async fn get(&self, path: &str) -> Value {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        let r = r.send().await.unwrap();
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        r.json().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        let r = r.json(&body).send().await.unwrap();
        assert!(r.status().is_success(), "POST {path}: {}", r.status());
        r.json().await.unwrap()
    }
}

/// Serves the node's routes (no delivery, poll or lead workers) and returns its base URL.
pub async fn serve(n: &Node) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = n
        .router()
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}
