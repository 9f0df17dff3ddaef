//! An actor's inboxes and outbox live on its own origin (scheme, host and port), so a peer cannot
//! publish an actor whose deliveries go to, or whose history is read from, another server.

use crate::{domain::names::authority_of, error::AppError, federation::protocol::actor::ApubActor};

/// Refuses (422) an actor document whose `inbox`, `outbox` or `endpoints.sharedInbox` is on
/// another origin than its `id`.
pub fn require_same_origin(json: &ApubActor) -> Result<(), AppError> {
    let origin = authority_of(&json.id);
    let shared = json
        .endpoints
        .as_ref()
        .and_then(|e| e.shared_inbox.as_ref());
    let urls = [
        ("inbox", Some(&json.inbox)),
        ("outbox", json.outbox.as_ref()),
        ("sharedInbox", shared),
    ];
    for (what, url) in urls.into_iter().filter_map(|(w, u)| u.map(|u| (w, u))) {
        if origin.is_none() || authority_of(url) != origin || url.scheme() != json.id.scheme() {
            return Err(AppError::Unprocessable(format!(
                "the {what} of {} ({url}) is on another origin",
                json.id
            )));
        }
    }
    Ok(())
}
