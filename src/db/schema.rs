//! Table definitions shared by both backends (only types both support: Text, BigInt, Integer, Bool).

diesel::table! {
    actors (id) {
        id -> Text,
        ap_id -> Text,
        kind -> Text,
        username -> Text,
        domain -> Text,
        local -> Bool,
        display_name -> Text,
        summary -> Text,
        inbox -> Text,
        shared_inbox -> Nullable<Text>,
        outbox -> Nullable<Text>,
        followers_url -> Nullable<Text>,
        public_key_pem -> Text,
        private_key_pem -> Nullable<Text>,
        ed25519_public -> Nullable<Text>,
        ed25519_private -> Nullable<Text>,
        manually_approves -> Bool,
        visibility -> Text,
        speaks_cohort -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
        last_refreshed_at -> BigInt,
        avatar_url -> Nullable<Text>,
        header_url -> Nullable<Text>,
        statuses_count -> BigInt,
        last_status_at -> Nullable<BigInt>,
        speaks_lemmy -> Bool,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        password_hash -> Text,
        role -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    follows (id) {
        id -> Text,
        follower_id -> Text,
        target_id -> Text,
        activity_ap_id -> Text,
        state -> Text,
        created_at -> BigInt,
        notify -> Bool,
    }
}

diesel::table! {
    group_moderators (group_id, actor_id) {
        group_id -> Text,
        actor_id -> Text,
        created_at -> BigInt,
        term_ends_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    posts (id) {
        id -> Text,
        ap_id -> Text,
        kind -> Text,
        author_id -> Text,
        group_id -> Nullable<Text>,
        in_reply_to -> Nullable<Text>,
        name -> Nullable<Text>,
        summary -> Nullable<Text>,
        content -> Text,
        sensitive -> Bool,
        visibility -> Text,
        local -> Bool,
        published -> BigInt,
        updated -> Nullable<BigInt>,
        deleted_at -> Nullable<BigInt>,
        created_at -> BigInt,
        language -> Nullable<Text>,
    }
}

diesel::table! {
    activities (id) {
        id -> Text,
        ap_id -> Text,
        actor_id -> Text,
        kind -> Text,
        object_ap_id -> Nullable<Text>,
        payload -> Text,
        public -> Bool,
        created_at -> BigInt,
        post_id -> Nullable<Text>,
    }
}

diesel::table! {
    received_activities (ap_id) {
        ap_id -> Text,
        received_at -> BigInt,
        done -> Bool,
    }
}

diesel::table! {
    peers (domain) {
        domain -> Text,
        level -> Nullable<Text>,
        note -> Text,
        consecutive_failures -> Integer,
        dead_since -> Nullable<BigInt>,
        last_success_at -> Nullable<BigInt>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    deliveries (id) {
        id -> Text,
        peer -> Text,
        inbox -> Text,
        actor_ap_id -> Text,
        activity_ap_id -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        locked_until -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        last_status -> Nullable<Integer>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        peer -> Text,
        action -> Text,
        object -> Text,
        detail -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> Text,
        key -> Text,
        post_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    favourites (id) {
        id -> Text,
        actor_id -> Text,
        post_id -> Text,
        ap_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    reblogs (id) {
        id -> Text,
        actor_id -> Text,
        post_id -> Text,
        ap_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    bookmarks (id) {
        id -> Text,
        user_id -> Text,
        post_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        from_actor_id -> Text,
        post_id -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    markers (user_id, timeline) {
        user_id -> Text,
        timeline -> Text,
        last_read_id -> Text,
        version -> Integer,
        updated_at -> BigInt,
    }
}

diesel::table! {
    media (id) {
        id -> Text,
        owner_id -> Nullable<Text>,
        post_id -> Nullable<Text>,
        kind -> Text,
        mime -> Text,
        file_name -> Nullable<Text>,
        remote_url -> Nullable<Text>,
        size -> BigInt,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        description -> Nullable<Text>,
        created_at -> BigInt,
        duration_ms -> Nullable<BigInt>,
    }
}

diesel::table! {
    polls (post_id) {
        post_id -> Text,
        multiple -> Bool,
        options -> Text,
        remote_counts -> Nullable<Text>,
        expires_at -> Nullable<BigInt>,
        created_at -> BigInt,
        remote_voters -> Nullable<BigInt>,
        results_dirty -> Bool,
        closed -> Bool,
    }
}

diesel::table! {
    poll_votes (id) {
        id -> Text,
        post_id -> Text,
        voter_id -> Text,
        choice -> Integer,
        ap_id -> Text,
        created_at -> BigInt,
        slot -> Integer,
    }
}

diesel::joinable!(users -> actors (id));
diesel::joinable!(posts -> actors (author_id));

diesel::allow_tables_to_appear_in_same_query!(
    actors,
    users,
    follows,
    group_moderators,
    posts,
    activities,
    received_activities,
    peers,
    deliveries,
    audit_log,
    settings,
    oauth_apps,
    oauth_codes,
    oauth_tokens,
    idempotency_keys,
    favourites,
    reblogs,
    bookmarks,
    notifications,
    markers,
    media,
    polls,
    poll_votes,
    post_tags,
    tag_stats,
    post_versions,
    post_mentions,
);

diesel::table! {
    oauth_apps (id) {
        id -> Text,
        name -> Text,
        website -> Nullable<Text>,
        redirect_uris -> Text,
        scopes -> Text,
        client_id -> Text,
        client_secret_hash -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    oauth_codes (code_hash) {
        code_hash -> Text,
        app_id -> Text,
        user_id -> Text,
        scopes -> Text,
        redirect_uri -> Text,
        code_challenge -> Nullable<Text>,
        expires_at -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    oauth_tokens (id) {
        id -> Text,
        token_hash -> Text,
        app_id -> Text,
        user_id -> Nullable<Text>,
        scopes -> Text,
        created_at -> BigInt,
        last_used_at -> Nullable<BigInt>,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    post_tags (post_id, name) {
        post_id -> Text,
        name -> Text,
    }
}

diesel::joinable!(post_tags -> posts (post_id));

diesel::table! {
    tag_stats (name) {
        name -> Text,
        uses -> BigInt,
    }
}

diesel::table! {
    post_versions (id) {
        id -> Text,
        post_id -> Text,
        content -> Text,
        summary -> Nullable<Text>,
        sensitive -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    post_mentions (post_id, actor_id) {
        post_id -> Text,
        actor_id -> Text,
    }
}

diesel::joinable!(post_mentions -> actors (actor_id));
