//! The account entities: an actor as apps see it, and the signed-in member's own account.

use super::{acct, datetime};
use crate::api::entities::{Account, AccountSource, CredentialAccount, Role, StatusVisibility};
use crate::{
    db::{
        self,
        actors::ActorRow,
        page::{ActorCounts, PageFacts},
        DbResult,
    },
    domain::time,
};

/// The account entity of an actor; counts are read from storage.
pub fn account(conn: &mut db::DbConnection, actor: &ActorRow, base_url: &str) -> DbResult<Account> {
    let (followers, following, statuses, last_status_at) = db::actors::counts(conn, &actor.id)?;
    let counts = ActorCounts {
        followers,
        following,
        statuses,
        last_status_at,
    };
    Ok(account_with(actor, counts, base_url))
}

/// The account entity of an actor whose counts were read with a page.
pub fn account_of(facts: &PageFacts, actor: &ActorRow, base_url: &str) -> Account {
    let counts = facts.counts.get(&actor.id).copied().unwrap_or_default();
    account_with(actor, counts, base_url)
}

fn account_with(actor: &ActorRow, counts: ActorCounts, base_url: &str) -> Account {
    let ActorCounts {
        followers,
        following,
        statuses,
        last_status_at: last,
    } = counts;
    let avatar = actor
        .avatar_url
        .clone()
        .unwrap_or_else(|| format!("{base_url}/static/avatar.png"));
    let header = actor
        .header_url
        .clone()
        .unwrap_or_else(|| format!("{base_url}/static/header.png"));
    Account {
        id: actor.id.clone(),
        username: actor.username.clone(),
        acct: acct(actor),
        uri: actor.ap_id.clone(),
        url: Some(actor.ap_id.clone()),
        display_name: if actor.display_name.is_empty() {
            actor.username.clone()
        } else {
            actor.display_name.clone()
        },
        note: actor.summary.clone(),
        avatar: avatar.clone(),
        avatar_static: avatar,
        header: header.clone(),
        header_static: header,
        locked: actor.manually_approves,
        bot: matches!(
            actor.kind.as_str(),
            "Service" | "Application" | "Organization"
        ),
        group: actor.kind == "Group",
        discoverable: Some(actor.discoverable),
        indexable: false,
        hide_collections: Some(false),
        fields: vec![],
        emojis: vec![],
        created_at: datetime(actor.created_at),
        last_status_at: last.map(|ms| time::to_rfc3339(ms)[..10].to_string()),
        statuses_count: statuses,
        followers_count: followers,
        following_count: following,
        noindex: None,
        roles: None,
        moved: None,
        suspended: None,
        limited: None,
        memorial: None,
        avatar_description: None,
        header_description: None,
    }
}

/// The signed-in member's own account, with `source` and `role`.
pub fn credential_account(
    conn: &mut db::DbConnection,
    actor: &ActorRow,
    role: &str,
    base_url: &str,
) -> DbResult<CredentialAccount> {
    let account = account(conn, actor, base_url)?;
    // The requests the member answers: to follow them, and to join the groups they moderate.
    let requests = db::follow_requests::count(conn, &actor.id)?;
    let admin = role == "admin";
    Ok(CredentialAccount {
        source: AccountSource {
            note: crate::domain::sanitize::to_text(&actor.summary),
            fields: vec![],
            privacy: StatusVisibility::Public,
            sensitive: false,
            language: None,
            discoverable: Some(actor.discoverable),
            indexable: false,
            hide_collections: Some(false),
            follow_requests_count: requests,
            attribution_domains: None,
        },
        role: Role {
            id: if admin { "3" } else { "-99" }.into(),
            name: if admin { "Admin" } else { "" }.into(),
            color: String::new(),
            permissions: if admin { "1" } else { "65536" }.into(),
            highlighted: admin,
        },
        account,
    })
}
