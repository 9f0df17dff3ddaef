//! Local accounts and local actors (members, groups, the organization).

use crate::{
    db::{self, actors::ActorRow, users::UserRow},
    domain::{actor::ActorKind, ids::new_id, keys, names, policy::Visibility, time::now_ms},
    error::{AppError, AppResult},
    state::AppState,
    urls::{self, Urls},
};
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use rand::{distributions::Alphanumeric, Rng};

/// Names that local members and groups may not take (they are paths or the node's own actor).
const RESERVED: &[&str] = &["actor", "inbox", "ns", "api", "admin_", "system"];

/// What a new local actor looks like.
pub struct NewLocalActor<'a> {
    pub kind: ActorKind,
    pub name: &'a str,
    pub display_name: &'a str,
    pub summary: &'a str,
    pub manually_approves: bool,
    pub visibility: Visibility,
}

/// Builds a local actor row with fresh keys (RSA generation runs on the blocking pool).
pub async fn new_local_actor(state: &AppState, spec: NewLocalActor<'_>) -> AppResult<ActorRow> {
    let is_org = spec.kind == "Organization";
    if !is_org && (!names::is_valid_username(spec.name) || RESERVED.contains(&spec.name)) {
        return Err(AppError::Unprocessable(format!(
            "{:?} is not a valid name: use 1-30 of a-z, 0-9 and _ (reserved: {})",
            spec.name,
            RESERVED.join(", ")
        )));
    }
    let keys = tokio::task::spawn_blocking(keys::generate)
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let u = Urls::new(&state.config);
    let ap_id = u.actor(spec.kind.as_str(), spec.name);
    let now = now_ms();
    Ok(ActorRow {
        id: new_id(),
        ap_id: ap_id.clone(),
        kind: spec.kind,
        username: spec.name.to_string(),
        domain: state.config.instance.domain.clone(),
        local: true,
        display_name: spec.display_name.to_string(),
        summary: spec.summary.to_string(),
        inbox: urls::sub(&ap_id, "inbox"),
        shared_inbox: Some(u.shared_inbox()),
        outbox: Some(urls::sub(&ap_id, "outbox")),
        followers_url: Some(urls::sub(&ap_id, "followers")),
        public_key_pem: keys.rsa_public_pem,
        private_key_pem: Some(keys.rsa_private_pem),
        ed25519_public: Some(keys.ed25519_public_multibase),
        ed25519_private: Some(keys.ed25519_private_hex),
        manually_approves: spec.manually_approves,
        visibility: spec.visibility.as_str().to_string(),
        speaks_cohort: true,
        created_at: now,
        updated_at: now,
        last_refreshed_at: now,
        avatar_url: None,
        header_url: None,
        speaks_lemmy: false,
        discoverable: true,
    })
}

/// Creates a member who can log in. Without a password one is generated; it is returned once.
pub async fn create_user(
    state: &AppState,
    name: &str,
    admin: bool,
    password: Option<String>,
) -> AppResult<(ActorRow, String)> {
    let password = match password {
        Some(p) if p.len() < 8 => {
            return Err(AppError::Unprocessable(
                "password must have at least 8 characters".into(),
            ))
        }
        Some(p) => p,
        None => generate_password(),
    };
    let lookup = name.to_string();
    if state
        .db
        .run(move |c| db::actors::local_by_username(c, &lookup))
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!("the name {name} is taken")));
    }
    let actor = new_local_actor(
        state,
        NewLocalActor {
            kind: ActorKind::Person,
            name,
            display_name: name,
            summary: "",
            manually_approves: false,
            visibility: Visibility::Public,
        },
    )
    .await?;
    let user = UserRow {
        id: actor.id.clone(),
        password_hash: hash_password(&password)?,
        role: if admin { "admin" } else { "member" }.into(),
        created_at: actor.created_at,
    };
    let a = actor.clone();
    state
        .db
        .tx(move |c| db::users::insert_with_actor(c, &a, &user))
        .await?;
    Ok((actor, password))
}

/// Every account with its role.
pub async fn list_users(state: &AppState) -> AppResult<Vec<(ActorRow, UserRow)>> {
    Ok(state.db.run(db::users::list).await?)
}

/// Sets (or generates) a new password; returns it.
pub async fn set_password(
    state: &AppState,
    name: &str,
    password: Option<String>,
) -> AppResult<String> {
    let password = match password {
        Some(p) if p.len() < 8 => {
            return Err(AppError::Unprocessable(
                "password must have at least 8 characters".into(),
            ))
        }
        Some(p) => p,
        None => generate_password(),
    };
    let hash = hash_password(&password)?;
    let n = name.to_string();
    state
        .db
        .run(move |c| {
            let (actor, _) = db::users::by_username(c, &n)?.ok_or(db::DbError::NotFound)?;
            db::users::set_password_hash(c, &actor.id, &hash)
        })
        .await
        .map_err(|e| match e {
            db::DbError::NotFound => AppError::NotFound(format!("no user named {name}")),
            other => other.into(),
        })?;
    Ok(password)
}

/// A local member by name, or a clear 404.
pub async fn member(state: &AppState, name: &str) -> AppResult<ActorRow> {
    let n = name.to_string();
    state
        .db
        .run(move |c| db::users::by_username(c, &n))
        .await?
        .map(|(a, _)| a)
        .ok_or_else(|| AppError::NotFound(format!("no local member named {name}")))
}

/// A random 20-character password.
pub fn generate_password() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(20)
        .map(char::from)
        .collect()
}

/// Argon2id hash in PHC format.
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

/// Checks a password against a stored hash.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[test]
    fn password_hash_round_trip() {
        let h = super::hash_password("correct horse").unwrap();
        assert!(super::verify_password(&h, "correct horse"));
        assert!(!super::verify_password(&h, "wrong"));
        assert!(!super::verify_password("garbage", "x"));
    }
}
