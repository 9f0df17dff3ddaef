//! SQLite's WAL is copied back into the database file by a thread of its own. Left to SQLite, the
//! writer whose commit crosses the WAL's size limit does that copy (with two `fsync`s) while it
//! still holds the write lock, and every other writer waits for the disk. Here the writers leave
//! it to this thread (a `PASSIVE` checkpoint never blocks them), and only a WAL that grows far
//! past the usual size (should this thread fall behind) is copied back by a writer.

use diesel::{connection::SimpleConnection, Connection, SqliteConnection};
use std::{path::PathBuf, sync::Weak, time::Duration};

/// How often the thread copies the WAL back.
const INTERVAL: Duration = Duration::from_millis(250);

/// Set on every pooled connection: the WAL size (pages) at which a writer copies it back itself.
pub(super) const WRITER_FALLBACK_PAGES: u32 = 16_000;

/// Starts the thread for the database at `path`; it ends once `alive` has no owner left.
pub(super) fn start(path: PathBuf, alive: Weak<()>) {
    let spawned = std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            let mut conn = match SqliteConnection::establish(&path.to_string_lossy()) {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "no checkpoint thread: writers copy the WAL back");
                    return;
                }
            };
            let _ = conn.batch_execute("PRAGMA busy_timeout = 10000;");
            while alive.strong_count() > 0 {
                std::thread::sleep(INTERVAL);
                if let Err(e) = conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE);") {
                    tracing::warn!(error = %e, "WAL checkpoint failed");
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "no checkpoint thread: writers copy the WAL back");
    }
}
