//! Table definitions, written by hand to match `migrations/{sqlite,postgres}`.

diesel::table! {
    units (code) {
        code -> Text,
        kind -> Text,
        name -> Text,
        full_name -> Text,
        name_ascii -> Text,
        parent_code -> Nullable<Text>,
        path -> Text,
        valid_from -> Nullable<Date>,
        valid_to -> Nullable<Date>,
        replaced_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        scope_unit -> Text,
        phone -> Nullable<Text>,
        citizen_id_hmac -> Nullable<Text>,
        citizen_id_last4 -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        family_id -> Text,
        user_id -> Text,
        token_hash -> Text,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    idempotency_keys (scope, idem_key) {
        scope -> Text,
        idem_key -> Text,
        request_hash -> Text,
        status -> Integer,
        response_body -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> units (scope_unit));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(units, users, refresh_tokens, idempotency_keys);
