//! A small Mastodon client-API client for tests: OAuth password grant, JSON calls with a bearer
//! token (or none, for anonymous reads), and paging through timelines with `max_id`.

use serde_json::{json, Value};

/// One account's session on one node (or an anonymous visitor when `token` is `None`).
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    /// `http://host:port` of the node.
    pub base: String,
    pub token: Option<String>,
    /// Who this is, for messages.
    pub who: String,
}

impl Api {
    /// An anonymous visitor of the node at `base`.
    pub fn anonymous(base: &str) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: base.to_string(),
            token: None,
            who: "anonymous".into(),
        }
    }

    /// Signs `username` in with the password grant (an app registered for the occasion).
    pub async fn login(base: &str, username: &str, password: &str) -> Api {
        Api::login_with(base, username, password, "read write follow").await
    }

    /// `login` asking for other scopes (`push`, say).
    pub async fn login_with(base: &str, username: &str, password: &str, scopes: &str) -> Api {
        let anon = Api::anonymous(base);
        let (_, app) = anon
            .post(
                "/api/v1/apps",
                json!({"client_name": "matrix", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                       "scopes": scopes}),
            )
            .await;
        let (status, token) = anon
            .post(
                "/oauth/token",
                json!({"grant_type": "password", "username": username, "password": password,
                       "client_id": app["client_id"], "client_secret": app["client_secret"],
                       "scope": scopes}),
            )
            .await;
        let token = token["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("login {username} at {base}: {status} {token}"))
            .to_string();
        Api {
            token: Some(token),
            who: username.to_string(),
            ..anon
        }
    }

    fn authed(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    /// GET `path` (starting with `/`): status and JSON body (`Null` when not JSON).
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self
            .authed(self.http.get(format!("{}{path}", self.base)))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path} as {}: {e}", self.who));
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// POST a JSON body to `path`: status and JSON body.
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .authed(self.http.post(format!("{}{path}", self.base)))
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path} as {}: {e}", self.who));
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// PATCH a JSON body to `path`: status and JSON body.
    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .authed(self.http.patch(format!("{}{path}", self.base)))
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("PATCH {path} as {}: {e}", self.who));
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// PUT a JSON body to `path`: status and JSON body.
    pub async fn put_json(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .authed(self.http.put(format!("{}{path}", self.base)))
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("PUT {path} as {}: {e}", self.who));
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// DELETE `path`: status and JSON body.
    pub async fn delete(&self, path: &str) -> (u16, Value) {
        let r = self
            .authed(self.http.delete(format!("{}{path}", self.base)))
            .send()
            .await
            .unwrap_or_else(|e| panic!("DELETE {path} as {}: {e}", self.who));
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// POST a form (`application/x-www-form-urlencoded`) to `path`: status and JSON body.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let r = self
            .authed(self.http.post(format!("{}{path}", self.base)))
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path} as {}: {e}", self.who));
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// POST `body` as it is, declared as JSON (to send malformed JSON): status and JSON body.
    pub async fn post_raw(&self, path: &str, body: &str) -> (u16, Value) {
        let r = self
            .authed(self.http.post(format!("{}{path}", self.base)))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path} as {}: {e}", self.who));
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Every item of a paged list (`/api/v1/timelines/home`, notifications, …), newest first.
    pub async fn all_pages(&self, path: &str) -> Vec<Value> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut out: Vec<Value> = Vec::new();
        let mut max_id: Option<String> = None;
        for _ in 0..50 {
            let page = match &max_id {
                Some(m) => format!("{path}{sep}limit=40&max_id={m}"),
                None => format!("{path}{sep}limit=40"),
            };
            let (status, body) = self.get(&page).await;
            let Some(items) = body.as_array().filter(|a| status == 200 && !a.is_empty()) else {
                break;
            };
            let last = items
                .last()
                .and_then(|i| i["id"].as_str())
                .map(String::from);
            out.extend(items.iter().cloned());
            if last.is_none() || last == max_id {
                break;
            }
            max_id = last;
        }
        out
    }

    /// The concatenated JSON text of every item of a paged list (to look for markers in).
    pub async fn all_text(&self, path: &str) -> String {
        self.all_pages(path)
            .await
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Posts a status; `Ok(status JSON)` or `Err("code body")`.
    pub async fn status(
        &self,
        text: &str,
        visibility: &str,
        in_reply_to_id: Option<&str>,
    ) -> Result<Value, String> {
        let mut body = json!({"status": text, "visibility": visibility});
        if let Some(p) = in_reply_to_id {
            body["in_reply_to_id"] = json!(p);
        }
        match self.post("/api/v1/statuses", body).await {
            (200, v) => Ok(v),
            (s, v) => Err(format!("{s} {v}")),
        }
    }

    /// This node's account id for `acct` (`name` or `name@host`), resolving remote ones over
    /// WebFinger (`resolve=true`: only for setting up follows, never to check deliveries).
    pub async fn account_id(&self, acct: &str) -> Option<String> {
        let q = format!("/api/v2/search?type=accounts&resolve=true&q=%40{acct}");
        let (_, v) = self.get(&q).await;
        v["accounts"]
            .as_array()
            .and_then(|a| a.first())
            .and_then(|a| a["id"].as_str())
            .map(String::from)
    }

    /// Follows `acct` (resolved as above); `Err` when it cannot be found or followed.
    pub async fn follow(&self, acct: &str) -> Result<String, String> {
        let id = self
            .account_id(acct)
            .await
            .ok_or_else(|| format!("{} cannot resolve {acct}", self.who))?;
        match self
            .post(&format!("/api/v1/accounts/{id}/follow"), json!({}))
            .await
        {
            (200, _) => Ok(id),
            (s, v) => Err(format!("{} follows {acct}: {s} {v}", self.who)),
        }
    }

    /// `(following, requested)` towards the account with this node's `id`.
    pub async fn relationship(&self, id: &str) -> (bool, bool) {
        let (_, v) = self
            .get(&format!("/api/v1/accounts/relationships?id[]={id}"))
            .await;
        let r = &v[0];
        (
            r["following"].as_bool().unwrap_or(false),
            r["requested"].as_bool().unwrap_or(false),
        )
    }
}
