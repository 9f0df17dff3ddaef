//! Table definitions of proposals and governance (both backends), beside `schema.rs`.

use super::schema::{actors, posts};

diesel::table! {
    proposals (id) {
        id -> Text,
        post_id -> Nullable<Text>,
        ap_id -> Nullable<Text>,
        group_id -> Text,
        author_id -> Text,
        local -> Bool,
        title -> Text,
        body -> Text,
        kind -> Text,
        template -> Nullable<Text>,
        answers -> Text,
        payload -> Nullable<Text>,
        decision_rule -> Text,
        quorum -> Text,
        scope -> Text,
        state -> Text,
        discussion_days -> Integer,
        voting_days -> Integer,
        members_at_open -> Nullable<BigInt>,
        voting_ends_at -> Nullable<BigInt>,
        outcome -> Nullable<Text>,
        rationale -> Nullable<Text>,
        tally -> Nullable<Text>,
        decided_at -> Nullable<BigInt>,
        decision_json -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    proposal_log (id) {
        id -> Text,
        proposal_id -> Text,
        from_state -> Nullable<Text>,
        to_state -> Text,
        actor_id -> Text,
        reason -> Nullable<Text>,
        at -> BigInt,
    }
}

diesel::table! {
    proposal_votes (id) {
        id -> Text,
        proposal_id -> Text,
        voter_id -> Text,
        institution -> Text,
        choice -> Text,
        reason -> Nullable<Text>,
        ap_id -> Text,
        proof -> Nullable<Text>,
        cast_at -> BigInt,
    }
}

diesel::table! {
    proposal_templates (group_id, slug) {
        group_id -> Text,
        slug -> Text,
        title -> Text,
        kind -> Text,
        guidance -> Text,
        fields -> Text,
        time_commitment -> Text,
        decision_rule -> Text,
        quorum -> Text,
        scope -> Text,
        discussion_days -> Integer,
        voting_days -> Integer,
        created_at -> BigInt,
    }
}

diesel::table! {
    governance_documents (id) {
        id -> Text,
        owner_id -> Text,
        version -> Integer,
        scopes -> Text,
        body -> Text,
        code_of_conduct -> Text,
        proposal_id -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    proposals,
    proposal_log,
    proposal_votes,
    proposal_templates,
    governance_documents,
    actors,
);
diesel::allow_tables_to_appear_in_same_query!(proposals, posts);
