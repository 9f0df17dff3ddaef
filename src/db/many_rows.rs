//! Several rows in one `INSERT` on SQLite. diesel writes a list of rows there as one statement per
//! row (SQLite has no `DEFAULT` keyword for the columns a row leaves out), so a send to fifty peers
//! wrote fifty audit entries and fifty deliveries one by one. Here every column is bound, so one
//! statement carries up to [`ROWS_PER_STATEMENT`] rows.

use diesel::{
    query_builder::BoxedSqlQuery,
    sql_types::{BigInt, Integer, Nullable, Text},
    sqlite::Sqlite,
    RunQueryDsl, SqliteConnection,
};

/// Rows per statement: far below SQLite's limit on bound values (32,766).
const ROWS_PER_STATEMENT: usize = 200;

/// One bound value.
pub enum Value<'a> {
    Text(&'a str),
    Int(i32),
    BigInt(i64),
    NullableText(Option<&'a str>),
    NullableInt(Option<i32>),
    NullableBigInt(Option<i64>),
}

type Query<'a> = BoxedSqlQuery<'a, Sqlite, diesel::query_builder::SqlQuery>;

fn bind<'a>(q: Query<'a>, v: Value<'a>) -> Query<'a> {
    match v {
        Value::Text(s) => q.bind::<Text, _>(s),
        Value::Int(n) => q.bind::<Integer, _>(n),
        Value::BigInt(n) => q.bind::<BigInt, _>(n),
        Value::NullableText(s) => q.bind::<Nullable<Text>, _>(s),
        Value::NullableInt(n) => q.bind::<Nullable<Integer>, _>(n),
        Value::NullableBigInt(n) => q.bind::<Nullable<BigInt>, _>(n),
    }
}

/// `INSERT INTO table (columns) VALUES (…), (…) [ON CONFLICT DO NOTHING]` for `rows`, each given
/// as its values in `columns`' order. Answers the rows inserted.
pub fn insert<'a, R>(
    conn: &mut SqliteConnection,
    table: &str,
    columns: &[&str],
    or_ignore: bool,
    rows: &'a [R],
    values: impl Fn(&'a R) -> Vec<Value<'a>>,
) -> diesel::QueryResult<usize> {
    let mut inserted = 0;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let one = format!("({})", vec!["?"; columns.len()].join(", "));
        let mut sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            vec![one; chunk.len()].join(", ")
        );
        if or_ignore {
            sql.push_str(" ON CONFLICT DO NOTHING");
        }
        let mut q = diesel::sql_query(sql).into_boxed::<Sqlite>();
        for row in chunk {
            for v in values(row) {
                q = bind(q, v);
            }
        }
        inserted += q.execute(conn)?;
    }
    Ok(inserted)
}
