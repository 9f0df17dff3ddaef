//! A long history for the query-plan test, and explaining recorded statements on either backend.
//!
//! The history is written with the storage layer's own write functions (the ones inbound posts
//! use), in one transaction, so that 100,000 statuses take seconds instead of minutes.

use cohort::{
    db::{
        self,
        interactions::{Interaction, InteractionRow},
        notifications::NotificationRow,
        posts::PostRow,
        DbConnection,
    },
    domain::{audience::PostVisibility, ids::new_id, notification::NotificationKind, time::now_ms},
    Node,
};
use diesel::{sql_types::Text, QueryableByName, RunQueryDsl};

/// Adds `count` statuses by bob and carol in their groups: every 7th a reply, every 10th with a
/// hashtag and mentioning the reader (who is notified), every 20th favourited by the reader.
pub async fn bulk_history(n: &Node, count: usize) {
    // Chunks of a thousand statuses per transaction: PostgreSQL slows down quadratically when one
    // transaction updates the same counter row a hundred thousand times.
    let mut previous: Option<String> = None;
    for start in (0..count).step_by(1000) {
        let end = (start + 1000).min(count);
        previous = history_chunk(n, start..end, previous).await;
    }
}

async fn history_chunk(
    n: &Node,
    range: std::ops::Range<usize>,
    previous: Option<String>,
) -> Option<String> {
    let base = n.state.config.base_url();
    n.state
        .db
        .tx(move |c| -> Result<Option<String>, db::DbError> {
            let actor = |c: &mut DbConnection, name: &str| {
                db::actors::local_by_username(c, name).map(|a| a.expect(name).id)
            };
            let (bob, carol, reader) = (actor(c, "bob")?, actor(c, "carol")?, actor(c, "reader")?);
            let (lab, ward) = (actor(c, "lab")?, actor(c, "ward")?);
            let mut previous = previous;
            for i in range {
                let (id, now) = (new_id(), now_ms());
                let (author, group) = if i % 2 == 0 {
                    (&bob, &lab)
                } else {
                    (&carol, &ward)
                };
                let ap_id = format!("{base}/posts/{id}");
                let row = PostRow {
                    id: id.clone(),
                    ap_id: ap_id.clone(),
                    kind: "Note".into(),
                    author_id: author.clone(),
                    group_id: Some(group.clone()),
                    in_reply_to: previous.clone().filter(|_| i % 7 == 0),
                    name: None,
                    summary: None,
                    content: format!("<p>history {i}</p>"),
                    sensitive: false,
                    visibility: PostVisibility::Public,
                    local: true,
                    published: now,
                    updated: None,
                    deleted_at: None,
                    created_at: now,
                    language: None,
                };
                db::posts::insert_if_new(c, &row)?;
                if i % 10 == 0 {
                    db::tags::set_for_post(c, &id, &[format!("topic{}", i % 5)])?;
                    db::tags::set_mentions(c, &id, std::slice::from_ref(&reader))?;
                    let nid = new_id();
                    let note = NotificationRow {
                        group_key: format!("ungrouped-{nid}"),
                        id: nid,
                        user_id: reader.clone(),
                        kind: NotificationKind::Mention,
                        from_actor_id: author.clone(),
                        post_id: Some(id.clone()),
                        created_at: now,
                        report_id: None,
                    };
                    db::notifications::insert(c, &note)?;
                }
                if i % 20 == 0 {
                    let like = InteractionRow {
                        id: new_id(),
                        actor_id: reader.clone(),
                        post_id: id.clone(),
                        ap_id: format!("{base}/likes/{}", new_id()),
                        created_at: now,
                    };
                    db::interactions::add(c, Interaction::Favourite, &like)?;
                }
                previous = Some(ap_id);
            }
            Ok(previous)
        })
        .await
        .expect("history")
}

/// Tables that hold many rows after `bulk_history`: a sequential scan of one is a failure.
const LARGE: &[&str] = &[
    "posts",
    "post_tags",
    "post_mentions",
    "notifications",
    "favourites",
];

#[derive(QueryableByName)]
struct SqlitePlan {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlan {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// One literal of a bind list as diesel prints it (`"text"`, `12`, `true`, `None`, `Some(x)`).
fn literal(bind: &str, sqlite: bool) -> String {
    let b = bind.trim();
    if let Some(inner) = b.strip_prefix("Some(").and_then(|r| r.strip_suffix(')')) {
        return literal(inner, sqlite);
    }
    if let Some(items) = b.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        let items: Vec<String> = split_binds(items)
            .iter()
            .map(|i| literal(i, sqlite))
            .collect();
        return format!("ARRAY[{}]::text[]", items.join(", "));
    }
    match b {
        "None" => "NULL".into(),
        "true" => if sqlite { "1" } else { "TRUE" }.into(),
        "false" => if sqlite { "0" } else { "FALSE" }.into(),
        s if s.starts_with('"') => {
            let text: String =
                serde_json::from_str(s).unwrap_or_else(|_| s.trim_matches('"').into());
            format!("'{}'", text.replace('\'', "''"))
        }
        s => s.to_string(),
    }
}

/// Splits `"a", 1, "b, c"` into its items (commas inside quotes stay).
fn split_binds(list: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted, mut escaped) = (Vec::new(), String::new(), false, false);
    let mut depth = 0;
    for ch in list.chars() {
        if quoted {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' {
                quoted = false;
            }
        } else if ch == ',' && depth == 0 {
            out.push(std::mem::take(&mut cur));
            continue;
        } else if ch == '"' {
            quoted = true;
        } else if ch == '[' {
            depth += 1;
        } else if ch == ']' {
            depth -= 1;
        }
        cur.push(ch);
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// A recorded statement's text and its binds as SQL literals, when it can be explained.
fn recorded(statement: &str, sqlite: bool) -> Option<(&str, Vec<String>)> {
    let (sql, binds) = statement.rsplit_once(" -- binds: ")?;
    if !explainable(sql) {
        return None;
    }
    let binds = binds.trim();
    let binds = split_binds(&binds[1..binds.len().saturating_sub(1)]);
    Some((sql, binds.iter().map(|b| literal(b, sqlite)).collect()))
}

/// The statement with its binds written in, ready to explain.
fn inline(statement: &str, sqlite: bool) -> Option<String> {
    let (sql, literals) = recorded(statement, sqlite)?;
    if sqlite {
        let mut out = String::new();
        let mut it = literals.iter();
        for ch in sql.chars() {
            match ch {
                '?' => out.push_str(it.next()?),
                c => out.push(c),
            }
        }
        Some(out)
    } else {
        let mut out = sql.to_string();
        for (i, l) in literals.iter().enumerate().rev() {
            out = out.replace(&format!("${}", i + 1), l);
        }
        Some(out)
    }
}

/// The plan lines of `sql`.
fn explain(c: &mut DbConnection, sql: &str) -> Vec<String> {
    match c {
        DbConnection::Sqlite(c) => diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<SqlitePlan>(c)
            .unwrap_or_else(|e| panic!("explain {sql}: {e}"))
            .into_iter()
            .map(|p| p.detail)
            .collect(),
        DbConnection::Postgresql(c) => diesel::sql_query(format!("EXPLAIN {sql}"))
            .load::<PgPlan>(c)
            .unwrap_or_else(|e| panic!("explain {sql}: {e}"))
            .into_iter()
            .map(|p| p.line)
            .collect(),
    }
}

/// Whether a plan line scans one of the large tables from end to end.
fn scans_large(line: &str) -> bool {
    let l = line.trim();
    LARGE.iter().any(|t| {
        let sqlite = l == format!("SCAN {t}") || l.starts_with(&format!("SCAN {t} "));
        let pg =
            l.contains(&format!("Seq Scan on {t} ")) || l.ends_with(&format!("Seq Scan on {t}"));
        sqlite || pg
    })
}

/// The recorded statements, each once.
fn distinct(statements: &[String]) -> Vec<String> {
    let mut unique: Vec<String> = statements.to_vec();
    unique.sort();
    unique.dedup();
    unique
}

/// Every recorded statement whose plan scans a large table, with its plan.
pub async fn sequential_scans(n: &Node, statements: &[String]) -> Vec<String> {
    let unique = distinct(statements);
    n.state
        .db
        .run(move |c| {
            if let DbConnection::Postgresql(pg) = c {
                diesel::sql_query("ANALYZE").execute(pg)?;
            }
            let sqlite = matches!(c, DbConnection::Sqlite(_));
            let mut found = Vec::new();
            for s in &unique {
                let Some(sql) = inline(s, sqlite) else {
                    continue;
                };
                let plan = explain(c, &sql);
                if plan.iter().any(|l| scans_large(l)) {
                    found.push(format!("{sql}\n  {}", plan.join("\n  ")));
                }
            }
            Ok(found)
        })
        .await
        .unwrap()
}

/// PostgreSQL only: the generic plans (made without the values, as a statement kept prepared soon
/// runs) of the recorded home seeks, each with the lines that walk the posts' primary key to find
/// a source's posts instead of seeking the source's index.
pub async fn generic_key_walks(n: &Node, statements: &[String]) -> (usize, Vec<String>) {
    let seeks: Vec<String> = statements
        .iter()
        .filter(|s| s.contains("CROSS JOIN LATERAL"))
        .cloned()
        .collect();
    n.state
        .db
        .run(move |c| {
            let DbConnection::Postgresql(pg) = c else {
                return Ok((0, vec![]));
            };
            diesel::sql_query("SET plan_cache_mode = force_generic_plan").execute(pg)?;
            let mut walks = Vec::new();
            for s in &seeks {
                let (sql, args) = recorded(s, false).expect("a seek with its binds");
                diesel::sql_query(format!("PREPARE seek AS {sql}")).execute(pg)?;
                let plan: Vec<String> =
                    diesel::sql_query(format!("EXPLAIN EXECUTE seek({})", args.join(", ")))
                        .load::<PgPlan>(pg)?
                        .into_iter()
                        .map(|p| p.line)
                        .collect();
                diesel::sql_query("DEALLOCATE seek").execute(pg)?;
                if plan.iter().any(|l| l.contains("posts_pkey")) {
                    walks.push(format!("{sql}\n  {}", plan.join("\n  ")));
                }
            }
            // No `RESET`: it would put this pooled connection back to PostgreSQL's default, not
            // to the mode the pool sets on every connection.
            Ok((seeks.len(), walks))
        })
        .await
        .unwrap()
}

/// Rows a plan node may read and throw away (`Rows Removed by Filter`), or times it may run, before
/// the statement counts as walking the history: 2 % of the 100,000 statuses.
const MAX_REMOVED: u64 = 2_000;

/// Whether a statement's text can be explained (reads, updates and deletes; not inserts; not an
/// empty `IN` list, which diesel writes `1=0` and which reads no row whatever the plan shows).
fn explainable(sql: &str) -> bool {
    let upper = sql.trim_start().to_ascii_uppercase();
    ["SELECT", "UPDATE", "DELETE", "WITH"]
        .iter()
        .any(|k| upper.starts_with(k))
        && upper != "SELECT 1"
        && !sql.contains("WHERE (1=0)")
}

/// What is wrong with one executed plan: a sequential scan of a large table, or a node that read
/// and dropped more than `MAX_REMOVED` rows or ran more than `MAX_REMOVED` times.
fn plan_faults(plan: &[String]) -> Vec<String> {
    let mut faults = Vec::new();
    for line in plan {
        if scans_large(line) {
            faults.push(format!("sequential scan: {}", line.trim()));
        }
        let removed = ["Rows Removed by Filter: ", "Rows Removed by Join Filter: "]
            .iter()
            .find_map(|k| line.split_once(k))
            .and_then(|(_, n)| n.trim().parse::<u64>().ok());
        if let Some(n) = removed.filter(|n| *n > MAX_REMOVED) {
            faults.push(format!("{n} rows read and dropped: {}", line.trim()));
        }
        // A node run once per row of a walk (a probe for each of thousands of candidates).
        let loops = line
            .rsplit_once("loops=")
            .and_then(|(_, n)| n.trim_end_matches(')').parse::<u64>().ok());
        if let Some(n) = loops.filter(|n| *n > MAX_REMOVED) {
            faults.push(format!("run {n} times: {}", line.trim()));
        }
    }
    faults
}

/// PostgreSQL only: every recorded statement prepared and run on its generic plan (the plan made
/// without the values, which every connection uses: `plan_cache_mode = force_generic_plan`) with
/// the values it ran with, inside a transaction that is rolled back. Returns how many statements
/// were explained and each one whose plan scans a large table or reads and drops rows by the
/// thousand, with its plan.
pub async fn generic_plan_faults(n: &Node, statements: &[String]) -> (usize, Vec<String>) {
    let unique = distinct(statements);
    n.state
        .db
        .run(move |c| {
            use diesel::connection::SimpleConnection;
            let DbConnection::Postgresql(pg) = c else {
                return Ok((0, vec![]));
            };
            pg.batch_execute("ANALYZE; SET plan_cache_mode = force_generic_plan")?;
            let (mut explained, mut found) = (0, Vec::new());
            for s in &unique {
                let Some((sql, args)) = recorded(s, false) else {
                    continue;
                };
                let execute = if args.is_empty() {
                    "EXECUTE generic".to_string()
                } else {
                    format!("EXECUTE generic({})", args.join(", "))
                };
                pg.batch_execute(&format!("BEGIN; PREPARE generic AS {sql}"))?;
                let plan = diesel::sql_query(format!("EXPLAIN (ANALYZE, COSTS OFF) {execute}"))
                    .load::<PgPlan>(pg);
                pg.batch_execute("ROLLBACK; DEALLOCATE generic")?;
                let plan: Vec<String> = plan
                    .unwrap_or_else(|e| panic!("explain {sql} with {args:?}: {e}"))
                    .into_iter()
                    .map(|p| p.line)
                    .collect();
                explained += 1;
                let faults = plan_faults(&plan);
                if !faults.is_empty() {
                    found.push(format!(
                        "{sql}\n  {}\n  plan:\n  {}",
                        faults.join("\n  "),
                        plan.join("\n  ")
                    ));
                }
            }
            Ok((explained, found))
        })
        .await
        .unwrap()
}
