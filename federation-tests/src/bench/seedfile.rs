//! The seed file: what the seeder leaves for the load generator (the node's domain, accounts with
//! their access tokens and groups, every member's id, and a sample of status ids).

use serde::{Deserialize, Serialize};
use std::path::Path;

/// One member who can sign in, with a token issued by the seeder.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeedAccount {
    pub id: String,
    pub username: String,
    pub token: String,
    /// Names of the groups the member belongs to (a posted status mentions the first).
    pub groups: Vec<String>,
}

/// The whole file (JSON).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SeedFile {
    pub domain: String,
    pub accounts: Vec<SeedAccount>,
    /// Ids of all seeded members (for `GET /api/v1/accounts/{id}/statuses`).
    pub member_ids: Vec<String>,
    /// Ids of statuses sampled uniformly from the seeded ones.
    pub status_ids: Vec<String>,
    /// How many local statuses the database held when the sample was taken.
    pub statuses: u64,
}

impl SeedFile {
    /// Reads a seed file; `None` when there is none.
    pub fn read(path: &Path) -> anyhow::Result<Option<SeedFile>> {
        match std::fs::read_to_string(path) {
            Ok(t) => Ok(Some(serde_json::from_str(&t)?)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Writes it (pretty JSON).
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        std::fs::write(path, serde_json::to_string_pretty(self)?)?;
        Ok(())
    }
}
