//! An actor's accepted followers and accepted follows, as columns of a read of `actors`: counted
//! by index in a correlated subquery. Typed expressions rather than `sql` literals, because diesel
//! never keeps a statement with a literal in it prepared (PostgreSQL would plan it on every page).

use diesel::{
    backend::Backend,
    expression::{is_aggregate, AppearsOnTable, Expression, SelectableExpression, ValidGrouping},
    query_builder::{AstPass, QueryFragment, QueryId},
    sql_types::BigInt,
    QueryResult,
};

/// Accepted followers of the row's actor (`FollowState::Accepted`, checked by a test).
const FOLLOWERS: &str = "(SELECT COUNT(*) FROM follows WHERE follows.target_id = actors.id \
    AND follows.state = 'accepted')";
/// Accounts the row's actor follows, accepted.
const FOLLOWING: &str = "(SELECT COUNT(*) FROM follows WHERE follows.follower_id = actors.id \
    AND follows.state = 'accepted')";

macro_rules! count_column {
    ($name:ident, $sql:expr) => {
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        impl Expression for $name {
            type SqlType = BigInt;
        }

        impl QueryId for $name {
            type QueryId = $name;
            const HAS_STATIC_QUERY_ID: bool = true;
        }

        impl<DB: Backend> QueryFragment<DB> for $name {
            fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
                out.push_sql($sql);
                Ok(())
            }
        }

        impl AppearsOnTable<crate::db::schema::actors::table> for $name {}

        impl SelectableExpression<crate::db::schema::actors::table> for $name {}

        impl<GB> ValidGrouping<GB> for $name {
            type IsAggregate = is_aggregate::Never;
        }
    };
}

count_column!(Followers, FOLLOWERS);
count_column!(Following, FOLLOWING);

#[cfg(test)]
mod tests {
    #[test]
    fn counts_name_the_accepted_state() {
        let state = format!("'{}'", crate::db::follows::FollowState::Accepted.as_str());
        assert!(super::FOLLOWERS.contains(&state) && super::FOLLOWING.contains(&state));
    }
}
