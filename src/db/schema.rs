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
        discoverable -> Bool,
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
        group_key -> Text,
        report_id -> Nullable<Text>,
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
    tag_stats (name, slot) {
        name -> Text,
        slot -> Integer,
        uses -> BigInt,
    }
}

diesel::table! {
    tag_days (name, day, slot) {
        name -> Text,
        day -> BigInt,
        slot -> Integer,
        uses -> BigInt,
        accounts -> BigInt,
    }
}

diesel::table! {
    tag_day_authors (name, day, author_id) {
        name -> Text,
        day -> BigInt,
        author_id -> Text,
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

diesel::table! {
    push_subscriptions (id) {
        id -> Text,
        token_id -> Text,
        user_id -> Text,
        access_token -> Text,
        endpoint -> Text,
        p256dh -> Text,
        auth -> Text,
        alerts -> Text,
        policy -> Text,
        standard -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    push_deliveries (id) {
        id -> Text,
        subscription_id -> Text,
        notification_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        locked_until -> Nullable<BigInt>,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    scheduled_statuses (id) {
        id -> Text,
        user_id -> Text,
        scheduled_at -> BigInt,
        params -> Text,
        locked_until -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::joinable!(push_deliveries -> push_subscriptions (subscription_id));
diesel::allow_tables_to_appear_in_same_query!(push_subscriptions, push_deliveries);
diesel::allow_tables_to_appear_in_same_query!(push_subscriptions, oauth_tokens);
diesel::joinable!(oauth_tokens -> oauth_apps (app_id));

diesel::table! {
    blocks (id) {
        id -> Text,
        actor_id -> Text,
        target_id -> Text,
        ap_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    mutes (id) {
        id -> Text,
        actor_id -> Text,
        target_id -> Text,
        notifications -> Bool,
        expires_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    account_notes (actor_id, target_id) {
        actor_id -> Text,
        target_id -> Text,
        comment -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    pins (id) {
        id -> Text,
        actor_id -> Text,
        post_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    featured_tags (id) {
        id -> Text,
        actor_id -> Text,
        name -> Text,
        created_at -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(blocks, actors);
diesel::allow_tables_to_appear_in_same_query!(mutes, actors);
diesel::allow_tables_to_appear_in_same_query!(pins, posts);
diesel::allow_tables_to_appear_in_same_query!(blocks, follows);
diesel::allow_tables_to_appear_in_same_query!(blocks, notifications);
diesel::allow_tables_to_appear_in_same_query!(mutes, notifications);
diesel::allow_tables_to_appear_in_same_query!(pins, actors);
diesel::allow_tables_to_appear_in_same_query!(pins, post_tags);
diesel::allow_tables_to_appear_in_same_query!(blocks, posts);
diesel::allow_tables_to_appear_in_same_query!(mutes, posts);

diesel::table! {
    lists (id) {
        id -> Text,
        user_id -> Text,
        title -> Text,
        replies_policy -> Text,
        exclusive -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    list_accounts (list_id, actor_id) {
        list_id -> Text,
        actor_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    filters (id) {
        id -> Text,
        user_id -> Text,
        title -> Text,
        context -> Text,
        filter_action -> Text,
        expires_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    filter_keywords (id) {
        id -> Text,
        filter_id -> Text,
        keyword -> Text,
        whole_word -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    filter_statuses (id) {
        id -> Text,
        filter_id -> Text,
        post_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    conversations (id) {
        id -> Text,
        user_id -> Text,
        thread -> Text,
        last_post_id -> Text,
        unread -> Bool,
        updated_at -> BigInt,
    }
}

diesel::joinable!(list_accounts -> lists (list_id));
diesel::joinable!(list_accounts -> actors (actor_id));
diesel::allow_tables_to_appear_in_same_query!(lists, list_accounts);
diesel::allow_tables_to_appear_in_same_query!(list_accounts, actors);
diesel::allow_tables_to_appear_in_same_query!(list_accounts, follows);
diesel::allow_tables_to_appear_in_same_query!(filters, filter_keywords, filter_statuses);

diesel::table! {
    conversation_mutes (user_id, thread) {
        user_id -> Text,
        thread -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    suggestion_dismissals (user_id, target_id) {
        user_id -> Text,
        target_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    followed_tags (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    weekly_activity (week, slot) {
        week -> BigInt,
        slot -> Integer,
        statuses -> BigInt,
        logins -> BigInt,
        registrations -> BigInt,
    }
}

diesel::table! {
    direct_posts (user_id, post_id) {
        user_id -> Text,
        post_id -> Text,
    }
}

diesel::joinable!(direct_posts -> posts (post_id));
diesel::allow_tables_to_appear_in_same_query!(direct_posts, posts);

diesel::table! {
    weekly_logins (week, user_id) {
        week -> BigInt,
        user_id -> Text,
    }
}

diesel::table! {
    reports (id) {
        id -> Text,
        ap_id -> Nullable<Text>,
        reporter_id -> Text,
        target_id -> Text,
        comment -> Text,
        category -> Text,
        rule_ids -> Text,
        forwarded -> Bool,
        created_at -> BigInt,
        action_taken -> Bool,
        resolved_at -> Nullable<BigInt>,
        resolved_by -> Nullable<Text>,
    }
}

diesel::table! {
    report_statuses (report_id, post_id) {
        report_id -> Text,
        post_id -> Text,
    }
}

diesel::joinable!(report_statuses -> reports (report_id));
diesel::joinable!(report_statuses -> posts (post_id));
diesel::allow_tables_to_appear_in_same_query!(reports, report_statuses, posts);
