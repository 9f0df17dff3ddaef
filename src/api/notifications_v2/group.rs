//! Grouping a page of notifications and rendering the groups (GroupedNotificationsResults).

use crate::{
    api::{
        entities::{Account, Notification, Status},
        notifications::{query_pairs, values},
        views,
    },
    db::{self, actors::ActorRow, notifications::NotificationRow, DbConnection, DbResult},
    domain::notification::{groupable, GROUPED_BY_DEFAULT},
};
use serde::Serialize;
use std::collections::BTreeMap;

/// One group (NotificationGroup).
#[derive(Debug, Serialize)]
pub struct NotificationGroup {
    pub group_key: String,
    pub notifications_count: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub most_recent_notification_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_min_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_max_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_page_notification_at: Option<String>,
    pub sample_account_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_id: Option<String>,
    /// The report of an `admin.report` group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<crate::api::entities::Report>,
}

/// A PartialAccountWithAvatar (`expand_accounts=partial_avatars`).
#[derive(Debug, Serialize)]
pub struct PartialAccount {
    pub id: String,
    pub acct: String,
    pub url: String,
    pub avatar: String,
    pub avatar_static: String,
    pub locked: bool,
    pub bot: bool,
}

/// GroupedNotificationsResults.
#[derive(Debug, Serialize)]
pub struct Grouped {
    pub accounts: Vec<Account>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial_accounts: Option<Vec<PartialAccount>>,
    pub statuses: Vec<Status>,
    pub notification_groups: Vec<NotificationGroup>,
}

/// Accounts shown per group.
const SAMPLE_ACCOUNTS: usize = 8;
/// Notifications read to fill one page of groups, at most (favourites of a popular post).
pub(super) const MAX_SCAN: i64 = 400;

/// The parameters of `GET /api/v2/notifications`.
pub(super) struct Query {
    pub pairs: Vec<(String, String)>,
    pub max_id: Option<String>,
    pub min_id: Option<String>,
    pub limit: i64,
    pub types: Vec<String>,
    pub exclude: Vec<String>,
    pub grouped: Vec<String>,
    pub partial: bool,
}

pub(super) fn query(q: Option<String>, default_limit: i64, max_limit: i64) -> Query {
    let pairs = query_pairs(q);
    let one = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let limit = one("limit")
        .and_then(|l| l.parse::<i64>().ok())
        .unwrap_or(default_limit)
        .clamp(1, max_limit);
    let grouped = if pairs
        .iter()
        .any(|(k, _)| k == "grouped_types" || k == "grouped_types[]")
    {
        values(&pairs, "grouped_types")
    } else {
        GROUPED_BY_DEFAULT
            .iter()
            .map(|k| k.as_str().to_string())
            .collect()
    };
    Query {
        max_id: one("max_id"),
        min_id: one("min_id").or(one("since_id")),
        limit,
        types: values(&pairs, "types"),
        exclude: values(&pairs, "exclude_types"),
        grouped: grouped.into_iter().filter(|k| groupable(k)).collect(),
        partial: one("expand_accounts").as_deref() == Some("partial_avatars"),
        pairs,
    }
}

/// The key a row is shown under for these `grouped_types`.
fn shown_key(n: &NotificationRow, grouped: &[String]) -> String {
    if grouped.iter().any(|k| k == n.kind.as_str()) {
        n.group_key.clone()
    } else {
        format!("ungrouped-{}", n.id)
    }
}

/// A group found on a page: its key and its rows on the page, newest first.
pub(super) struct PageGroup {
    pub key: String,
    pub rows: Vec<NotificationRow>,
}

/// Reads notifications newest first (older than `max_id`, newer than `min_id`) until `limit`
/// groups are complete or `MAX_SCAN` rows were read; returns the groups and the page's bounds.
pub(super) fn page_groups(c: &mut DbConnection, me: &str, q: &Query) -> DbResult<Vec<PageGroup>> {
    let mut groups: Vec<PageGroup> = Vec::new();
    let mut max = q.max_id.clone();
    let mut scanned = 0;
    'scan: while scanned < MAX_SCAN {
        let batch = db::notifications::list(
            c,
            me,
            max.as_deref(),
            q.min_id.as_deref(),
            &q.types,
            &q.exclude,
            40,
        )?;
        let Some(last) = batch.last() else { break };
        max = Some(last.id.clone());
        scanned += batch.len() as i64;
        let full = batch.len() < 40;
        for n in batch {
            let key = shown_key(&n, &q.grouped);
            match groups.iter().position(|g| g.key == key) {
                Some(i) => groups[i].rows.push(n),
                None if groups.len() as i64 == q.limit => break 'scan,
                None => groups.push(PageGroup { key, rows: vec![n] }),
            }
        }
        if full {
            break;
        }
    }
    Ok(groups)
}

/// Renders groups: their entities, the accounts and statuses they name.
pub(super) fn render(
    c: &mut DbConnection,
    me: &ActorRow,
    base: &str,
    groups: Vec<PageGroup>,
    paged: bool,
    partial: bool,
) -> DbResult<Grouped> {
    let mut rows: Vec<NotificationRow> = Vec::new();
    let mut samples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    for g in &groups {
        let newest = &g.rows[0];
        let (count, group_rows) = if g.key.starts_with("ungrouped-") {
            (1, vec![newest.clone()])
        } else {
            let upto = Some(newest.id.as_str());
            (
                db::notifications::count_group(c, &me.id, &g.key, upto)?,
                db::notifications::in_group(c, &me.id, &g.key, upto, 40)?,
            )
        };
        let mut ids: Vec<String> = Vec::new();
        for n in group_rows.iter().chain(g.rows.iter()) {
            if ids.len() < SAMPLE_ACCOUNTS && !ids.contains(&n.from_actor_id) {
                ids.push(n.from_actor_id.clone());
                rows.push(n.clone());
            }
        }
        rows.push(newest.clone());
        samples.insert(g.key.clone(), ids);
        counts.insert(g.key.clone(), count);
    }
    rows.sort_by(|a, b| b.id.cmp(&a.id));
    rows.dedup_by(|a, b| a.id == b.id);
    let entities: Vec<Notification> = views::notifications(c, &rows, me, base)?;
    let by_id: BTreeMap<&str, &Notification> =
        entities.iter().map(|n| (n.id.as_str(), n)).collect();
    let mut accounts: BTreeMap<String, Account> = BTreeMap::new();
    for n in &entities {
        accounts
            .entry(n.account.id.clone())
            .or_insert_with(|| n.account.clone());
    }
    let mut out = Grouped {
        accounts: vec![],
        partial_accounts: partial.then(Vec::new),
        statuses: vec![],
        notification_groups: vec![],
    };
    let mut full_ids: Vec<String> = Vec::new();
    for g in groups {
        let newest = &g.rows[0];
        // A notification about a post the member may no longer see is left out, group and all.
        let Some(entity) = by_id.get(newest.id.as_str()) else {
            continue;
        };
        let sample: Vec<String> = samples
            .remove(&g.key)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|a| accounts.get(&a).map(|acc| acc.id.clone()))
            .collect();
        if !full_ids.contains(&entity.account.id) {
            full_ids.push(entity.account.id.clone());
        }
        if !partial {
            for a in &sample {
                if !full_ids.contains(a) {
                    full_ids.push(a.clone());
                }
            }
        }
        if let Some(s) = &entity.status {
            if !out.statuses.iter().any(|x| x.id == s.id) {
                out.statuses.push(s.clone());
            }
        }
        let oldest = g.rows.last().unwrap_or(newest);
        out.notification_groups.push(NotificationGroup {
            notifications_count: counts.get(&g.key).copied().unwrap_or(1),
            kind: newest.kind.as_str().to_string(),
            most_recent_notification_id: newest.id.clone(),
            page_min_id: paged.then(|| oldest.id.clone()),
            page_max_id: paged.then(|| newest.id.clone()),
            latest_page_notification_at: paged.then(|| entity.created_at.clone()),
            sample_account_ids: sample,
            status_id: entity.status.as_ref().map(|s| s.id.clone()),
            report: entity.report.clone(),
            group_key: g.key,
        });
    }
    for (id, account) in accounts {
        if full_ids.contains(&id) {
            out.accounts.push(account);
        } else if let Some(p) = out.partial_accounts.as_mut() {
            p.push(PartialAccount {
                url: account.url.clone().unwrap_or_else(|| account.uri.clone()),
                id: account.id,
                acct: account.acct,
                avatar: account.avatar,
                avatar_static: account.avatar_static,
                locked: account.locked,
                bot: account.bot,
            });
        }
    }
    Ok(out)
}
