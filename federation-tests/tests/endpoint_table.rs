//! docs/clients.md lists every operation of the Mastodon OpenAPI description with its status in
//! Cohort; this test keeps the table true: no operation missing, none that the description does
//! not have, and every row marked implemented or empty by design served by the router.

use federation_tests::required_openapi_spec;
use std::collections::BTreeSet;
use tower::ServiceExt;

const STATUSES: [&str; 3] = ["implemented", "empty by design", "not yet"];

/// `(METHOD, path, status)` of every row between the table's markers.
fn table_rows() -> Vec<(String, String, String)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/clients.md"))
        .expect("docs/clients.md");
    let start = doc
        .find("<!-- endpoint-table:start -->")
        .expect("table start marker");
    let end = doc
        .find("<!-- endpoint-table:end -->")
        .expect("table end marker");
    doc[start..end]
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| method") && !l.starts_with("|---"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            assert!(
                cells.len() >= 5,
                "a row with method, path, status, notes: {l}"
            );
            let path = cells[2].trim_matches('`').to_string();
            (cells[1].to_string(), path, cells[3].to_string())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoint_table_matches_the_spec_and_the_router() {
    let Some(spec) = required_openapi_spec("endpoint_table_matches_the_spec_and_the_router") else {
        return;
    };
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(spec).expect("spec")).expect("spec json");
    let mut operations = BTreeSet::new();
    for (path, ops) in spec["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                operations.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let rows = table_rows();
    let mut listed = BTreeSet::new();
    for (method, path, status) in &rows {
        assert!(
            STATUSES.contains(&status.as_str()),
            "{method} {path}: status {status:?} is none of {STATUSES:?}"
        );
        assert!(
            listed.insert((method.clone(), path.clone())),
            "{method} {path} is listed twice"
        );
    }
    let missing: Vec<_> = operations.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "operations missing from docs/clients.md: {missing:?}"
    );
    let unknown: Vec<_> = listed.difference(&operations).collect();
    assert!(
        unknown.is_empty(),
        "rows for operations the description does not have: {unknown:?}"
    );

    // Every implemented or empty-by-design row reaches a route of a real node's router.
    let dir = tempfile::tempdir().expect("dir");
    let mut config = cohort::config::Config::default();
    config.database.url = format!("sqlite://{}", dir.path().join("db.sqlite3").display());
    config.storage.data_dir = dir.path().to_path_buf();
    config.api.rate_limit_per_5min = 100_000;
    let (node, _) = cohort::Node::build(config).await.expect("node");
    let router = node.router();
    let mut unserved = Vec::new();
    for (method, path, status) in &rows {
        if status == "not yet" {
            continue;
        }
        let concrete: String = {
            let mut out = String::new();
            let mut rest = path.as_str();
            while let Some(open) = rest.find('{') {
                let close = rest[open..].find('}').expect("closing brace") + open;
                out.push_str(&rest[..open]);
                out.push_str("01ARZ3NDEKTSV4RRFFQ69G5FAV");
                rest = &rest[close + 1..];
            }
            out.push_str(rest);
            out
        };
        let mut request = axum::http::Request::builder()
            .method(method.as_str())
            .uri(&concrete)
            .header("host", "localhost:8080")
            .body(axum::body::Body::empty())
            .expect("request");
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [127, 0, 0, 1],
                9,
            ))));
        let response = router.clone().oneshot(request).await.expect("response");
        if response
            .extensions()
            .get::<cohort::api::fallback::Unrouted>()
            .is_some()
        {
            unserved.push(format!("{method} {path} ({status}): {}", response.status()));
        }
    }
    assert!(
        unserved.is_empty(),
        "rows docs/clients.md marks as served that the router does not serve:\n{}",
        unserved.join("\n")
    );
}
