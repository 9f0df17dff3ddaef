//! PostgreSQL `NOTIFY`/`LISTEN`: how the processes of one node tell each other of live events.
//! `send` runs on a pooled connection; `listen` holds a connection of its own for as long as the
//! node runs, and opens it again (and listens again) when it is lost.

use super::{DbConnection, DbResult};
use diesel::{
    pg::PgConnection,
    prelude::*,
    sql_types::{Array, Text},
};
use std::time::Duration;

/// How often the listening connection looks for notifications that arrived (a non-blocking read
/// of its socket; nothing is sent to the server).
const POLL: Duration = Duration::from_millis(20);

/// Sends each payload on `channel`, in order, in one statement (PostgreSQL only; nothing to do on
/// SQLite). Called after the use case has committed, in a transaction of its own: PostgreSQL
/// serializes the commits of notifying transactions (a lock held until the commit is flushed), and
/// inside a use case's transaction its row locks would be held until then. Notifying inside it
/// was tried; the inbound benchmark showed no difference either way (docs/benchmarks.md).
///
/// Outside a transaction, that commit does not wait for its WAL to be flushed
/// (`synchronous_commit` off for the statement's own implicit transaction), so the lock every
/// notifying commit takes is held for no disk flush: the use case's effects were flushed by its
/// own commit, and a live event is not kept anyway (a listener that is away misses it).
pub fn send(conn: &mut DbConnection, channel: &str, payloads: &[String]) -> DbResult<()> {
    let DbConnection::Postgresql(c) = conn else {
        return Ok(());
    };
    if payloads.is_empty() {
        return Ok(());
    }
    let sql = match super::in_transaction(c) {
        false => {
            "WITH quick AS (SELECT set_config('synchronous_commit', 'off', true)) \
             SELECT pg_notify($1, p) FROM quick, unnest($2::text[]) WITH ORDINALITY AS u(p, n) \
             ORDER BY n"
        }
        // Inside a caller's transaction the setting would last until its commit: left alone.
        true => {
            "SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS u(p, n) ORDER BY n"
        }
    };
    super::Kept(
        diesel::sql_query(sql)
            .bind::<Text, _>(channel)
            .bind::<Array<Text>, _>(payloads),
    )
    .execute(c)?;
    Ok(())
}

/// A connection that listens on one channel.
pub struct Listener {
    url: String,
    channel: String,
    conn: PgConnection,
}

impl Listener {
    /// Opens the connection and starts listening: notifications sent after this returns are
    /// heard.
    pub fn open(url: &str, channel: &str) -> Result<Listener, String> {
        Ok(Listener {
            url: url.to_string(),
            channel: channel.to_string(),
            conn: listening(url, channel)?,
        })
    }

    /// Calls `on` with the payload of every notification until `stopped` answers true. When the
    /// connection is lost it is opened again; notifications sent meanwhile are lost (and logged).
    pub fn run(mut self, stopped: &dyn Fn() -> bool, on: &mut dyn FnMut(&str)) {
        while !stopped() {
            let mut lost = None;
            for n in self.conn.notifications_iter() {
                match n {
                    Ok(n) => on(&n.payload),
                    Err(e) => {
                        lost = Some(e);
                        break;
                    }
                }
            }
            let Some(e) = lost else {
                std::thread::sleep(POLL);
                continue;
            };
            tracing::warn!(error = %e, "live events connection lost; opening it again");
            loop {
                if stopped() {
                    return;
                }
                match listening(&self.url, &self.channel) {
                    Ok(c) => {
                        self.conn = c;
                        break;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen for live events; trying again");
                        std::thread::sleep(Duration::from_secs(1));
                    }
                }
            }
        }
    }
}

fn listening(url: &str, channel: &str) -> Result<PgConnection, String> {
    let mut c = PgConnection::establish(url).map_err(|e| e.to_string())?;
    // A channel name is an identifier, not a bind parameter; ours is a constant of the code.
    let ident = channel.replace('"', "");
    diesel::sql_query(format!("LISTEN \"{ident}\""))
        .execute(&mut c)
        .map_err(|e| e.to_string())?;
    Ok(c)
}
