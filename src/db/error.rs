//! The storage layer's error type; `NotFound` apart so callers can answer 404.

/// Errors from the storage layer. `NotFound` is separated so callers can answer 404.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("database task failed: {0}")]
    Task(String),
}

impl DbError {
    /// Maps diesel's unique-violation to `Conflict`, keeping other errors as they are.
    pub fn from_insert(e: diesel::result::Error, what: &str) -> DbError {
        match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => DbError::Conflict(what.to_string()),
            other => DbError::Query(other),
        }
    }
}

/// Result alias for storage calls.
pub type DbResult<T> = Result<T, DbError>;
