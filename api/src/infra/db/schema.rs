//! Table definitions, written by hand to match `migrations/{sqlite,postgres}`; `tests/tests/schema.rs`
//! checks them against the database each folder builds (tables, columns, types, nullability, keys).
//! Longer than 500 lines because it is one list of every table, which diesel wants in one place
//! (`allow_tables_to_appear_in_same_query!`); it holds no logic.

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
        family_started_at -> Nullable<Timestamp>,
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

diesel::table! {
    key_state (name) {
        name -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    job_runs (name) {
        name -> Text,
        ran_at -> Timestamp,
    }
}

diesel::table! {
    rate_counts (limiter, scope, client, win) {
        limiter -> Text,
        scope -> Text,
        client -> Text,
        win -> BigInt,
        n -> Integer,
    }
}

diesel::joinable!(users -> units (scope_unit));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    units,
    target_figures,
    users,
    refresh_tokens,
    idempotency_keys,
    key_state
);

diesel::table! {
    pledge_templates (id) {
        id -> Text,
        kind -> Text,
        version -> Integer,
        title_vi -> Text,
        title_en -> Nullable<Text>,
        commitments -> Text,
        published_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        owner_unit -> Nullable<Text>,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    campaigns (id) {
        id -> Text,
        code -> Text,
        kind -> Text,
        year -> Integer,
        title -> Text,
        owner_unit -> Text,
        template_id -> Text,
        opens_on -> Date,
        closes_on -> Date,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    campaign_units (campaign_id, unit_code) {
        campaign_id -> Text,
        unit_code -> Text,
        declared_expected -> Nullable<Integer>,
    }
}

diesel::table! {
    roster_entries (id) {
        id -> Text,
        campaign_id -> Text,
        unit_code -> Text,
        full_name -> Text,
        name_key -> Text,
        birth_date -> Nullable<Date>,
        cccd_hmac -> Nullable<Text>,
        cccd_last4 -> Nullable<Text>,
        address -> Nullable<Text>,
        members -> Nullable<Integer>,
        line -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    pledges (id) {
        id -> Text,
        receipt -> Text,
        campaign_id -> Text,
        unit_code -> Text,
        dedupe_key -> Text,
        full_name -> Text,
        name_key -> Text,
        initials -> Text,
        birth_date -> Date,
        cccd_hmac -> Nullable<Text>,
        cccd_last4 -> Nullable<Text>,
        phone -> Nullable<Text>,
        address -> Nullable<Text>,
        members -> Nullable<Integer>,
        guardian_name -> Nullable<Text>,
        guardian_relation -> Nullable<Text>,
        guardian_phone -> Nullable<Text>,
        template_version -> Integer,
        commitments_accepted -> Text,
        channel -> Text,
        status -> Text,
        status_reason -> Nullable<Text>,
        status_by -> Nullable<Text>,
        roster_entry_id -> Nullable<Text>,
        entered_by -> Nullable<Text>,
        signed_at -> Timestamp,
        flags -> Nullable<Text>,
        /// The campaign's year: PostgreSQL partitions pledges by it (issue 21).
        year -> Integer,
    }
}

diesel::table! {
    pledge_disputes (id) {
        id -> Text,
        campaign_id -> Text,
        pledge_id -> Text,
        contest_pledge_id -> Text,
        status -> Text,
        resolution -> Nullable<Text>,
        resolved_by -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    coverage_signed (unit_code, year, kind, shard) {
        unit_code -> Text,
        year -> Integer,
        kind -> Text,
        shard -> Integer,
        signed -> BigInt,
    }
}

diesel::table! {
    coverage_expected (unit_code, year, kind) {
        unit_code -> Text,
        year -> Integer,
        kind -> Text,
        expected -> BigInt,
    }
}

diesel::table! {
    tips (id) {
        id -> Text,
        receipt_hash -> Nullable<Text>,
        commune_code -> Text,
        unit_path -> Text,
        category -> Text,
        status -> Text,
        priority -> Integer,
        anonymous -> Bool,
        received_at -> Timestamp,
        received_on -> Date,
        deadline -> Date,
        extensions -> Integer,
        assigned_to -> Nullable<Text>,
        merged_into -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        key_id -> Nullable<Text>,
        content -> Nullable<Binary>,
        photos -> Integer,
        seq -> Integer,
        purged_at -> Nullable<Timestamp>,
        holder -> Text,
        period -> Nullable<Text>,
        due_at -> Nullable<Timestamp>,
        rule -> Nullable<Text>,
        period_start -> Nullable<Date>,
        transfer_class -> Nullable<Text>,
        crime_class -> Nullable<Text>,
        referred_to -> Nullable<Text>,
    }
}

diesel::table! {
    tip_messages (id) {
        id -> Text,
        tip_id -> Text,
        seq -> Integer,
        kind -> Text,
        author_id -> Nullable<Text>,
        created_at -> Timestamp,
        key_id -> Text,
        body -> Binary,
    }
}

diesel::table! {
    tip_photos (id) {
        id -> Text,
        tip_id -> Text,
        message_id -> Nullable<Text>,
        content_type -> Text,
        size_bytes -> Integer,
        key_id -> Text,
        data -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tip_events (tip_id, seq) {
        tip_id -> Text,
        seq -> Integer,
        at -> Timestamp,
        actor -> Text,
        kind -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        detail -> Nullable<Text>,
        reason -> Nullable<Text>,
        step -> Nullable<Text>,
        act_number -> Nullable<Text>,
        act_date -> Nullable<Date>,
        act_signer -> Nullable<Text>,
        due_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    province_procedure (province_code) {
        province_code -> Text,
        settings -> Text,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tip_notices (id) {
        id -> Text,
        tip_id -> Text,
        kind -> Text,
        audience -> Text,
        unit_path -> Text,
        commune_code -> Text,
        created_at -> Timestamp,
        opened_at -> Nullable<Timestamp>,
        escalated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notice_outbox (id) {
        id -> Text,
        notice_id -> Text,
        payload -> Text,
        attempts -> Integer,
        next_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
        dead_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    tip_indicators (tip_id, hash) {
        tip_id -> Text,
        kind -> Text,
        hash -> Text,
    }
}

diesel::table! {
    plans (id) {
        id -> Text,
        province_code -> Text,
        from_period -> Integer,
        to_period -> Integer,
        title_vi -> Text,
        title_en -> Text,
        source -> Nullable<Text>,
        status -> Text,
        supersedes -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        published_by -> Nullable<Text>,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    plan_targets (plan_id, seq) {
        plan_id -> Text,
        seq -> Integer,
        metric -> Text,
        grp -> Text,
        min -> Nullable<Double>,
        max -> Nullable<Double>,
        of_safe -> Bool,
        label_vi -> Nullable<Text>,
        label_en -> Nullable<Text>,
    }
}

diesel::table! {
    target_figures (plan_id, seq, unit_code, period) {
        plan_id -> Text,
        seq -> Integer,
        unit_code -> Text,
        period -> Integer,
        value -> Double,
        entered_by -> Text,
        entered_at -> Timestamp,
    }
}

diesel::table! {
    province_calendar (province_code) {
        province_code -> Text,
        settings -> Text,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    annual_reports (id) {
        id -> Text,
        unit_code -> Text,
        year -> Integer,
        version -> Integer,
        figures -> Text,
        note -> Nullable<Text>,
        dashboard -> Text,
        sent_by -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    emulation_blocks (id) {
        id -> Text,
        province_code -> Text,
        name -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    emulation_entries (id) {
        id -> Text,
        unit_code -> Text,
        year -> Integer,
        block_id -> Text,
        aim -> Text,
        status -> Text,
        registered_by -> Text,
        registered_at -> Timestamp,
        review_summary -> Nullable<Text>,
        aim_reached -> Nullable<Bool>,
        results -> Nullable<Text>,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<Timestamp>,
        award -> Nullable<Text>,
        proposal_reason -> Nullable<Text>,
        proposed_by -> Nullable<Text>,
        proposed_at -> Nullable<Timestamp>,
        decision_number -> Nullable<Text>,
        decision_date -> Nullable<Date>,
        decision_signer -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    festivals (id) {
        id -> Text,
        unit_code -> Text,
        year -> Integer,
        held_on -> Date,
        attendance -> Integer,
        note -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    festival_photos (id) {
        id -> Text,
        festival_id -> Text,
        content_type -> Text,
        size_bytes -> Integer,
        data -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    holidays (province_code, day) {
        province_code -> Text,
        day -> Date,
        name -> Text,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        actor_id -> Text,
        actor_role -> Text,
        action -> Text,
        tip_id -> Nullable<Text>,
        unit_path -> Nullable<Text>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    assessments (id) {
        id -> Text,
        unit_code -> Text,
        unit_path -> Text,
        unit_kind -> Text,
        period -> Integer,
        set_id -> Text,
        status -> Text,
        answers -> Text,
        evidence -> Nullable<Text>,
        score -> Nullable<Integer>,
        classification -> Nullable<Text>,
        recognised -> Nullable<Bool>,
        review_comment -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        submitted_by -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<Timestamp>,
        seq -> Integer,
        decision_number -> Nullable<Text>,
        decision_date -> Nullable<Date>,
        decision_signer -> Nullable<Text>,
    }
}

diesel::table! {
    assessment_events (assessment_id, seq) {
        assessment_id -> Text,
        seq -> Integer,
        at -> Timestamp,
        actor -> Text,
        action -> Text,
        comment -> Nullable<Text>,
    }
}

diesel::table! {
    assessment_files (id) {
        id -> Text,
        assessment_id -> Text,
        criterion -> Text,
        filename -> Text,
        content_type -> Text,
        size_bytes -> Integer,
        data -> Binary,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    criteria_sets (id) {
        id -> Text,
        unit_kind -> Text,
        province -> Text,
        version -> Integer,
        body -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    models (id) {
        id -> Text,
        unit_code -> Text,
        name -> Text,
        kind -> Text,
        started_on -> Date,
        members -> Integer,
        retired_on -> Nullable<Date>,
        created_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    model_ratings (model_id, year) {
        model_id -> Text,
        year -> Integer,
        rating -> Text,
        rated_by -> Text,
        rated_at -> Timestamp,
    }
}

diesel::table! {
    registrations (unit_code, year) {
        unit_code -> Text,
        year -> Integer,
        registered_on -> Date,
        document -> Text,
        note -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    subunit_titles (unit_code, year) {
        unit_code -> Text,
        year -> Integer,
        subunits -> Integer,
        titled -> Integer,
        titles -> Text,
        document -> Text,
        note -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    incidents (id) {
        id -> Text,
        unit_code -> Text,
        unit_path -> Text,
        kind -> Text,
        occurred_at -> Timestamp,
        reported_at -> Timestamp,
        force_majeure -> Bool,
        description -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    briefings (id) {
        id -> Text,
        unit_code -> Text,
        group_code -> Nullable<Text>,
        held_on -> Date,
        topic -> Text,
        attendance -> Integer,
        headcount -> Integer,
        flag_ceremony -> Bool,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    unit_exclusions (unit_code) {
        unit_code -> Text,
        exclusion -> Text,
        set_by -> Text,
        set_at -> Timestamp,
    }
}

diesel::table! {
    security_teams (unit_code) {
        unit_code -> Text,
        founded_on -> Date,
        decision_number -> Text,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    team_members (unit_code, seq) {
        unit_code -> Text,
        seq -> Integer,
        name -> Text,
        position -> Text,
        phone -> Nullable<Text>,
        trained_on -> Nullable<Date>,
    }
}

diesel::table! {
    team_ratings (unit_code, year) {
        unit_code -> Text,
        year -> Integer,
        rating -> Text,
        rated_by -> Text,
        rated_at -> Timestamp,
    }
}

diesel::joinable!(assessments -> units (unit_code));
diesel::joinable!(assessment_events -> assessments (assessment_id));
diesel::joinable!(assessment_files -> assessments (assessment_id));
diesel::joinable!(tips -> units (commune_code));
diesel::joinable!(tip_messages -> tips (tip_id));
diesel::joinable!(tip_photos -> tips (tip_id));
diesel::joinable!(tip_events -> tips (tip_id));
diesel::joinable!(tip_indicators -> tips (tip_id));
diesel::joinable!(plan_targets -> plans (plan_id));
diesel::joinable!(target_figures -> plans (plan_id));
diesel::joinable!(campaigns -> pledge_templates (template_id));
diesel::joinable!(campaign_units -> campaigns (campaign_id));
diesel::joinable!(pledges -> campaigns (campaign_id));
diesel::joinable!(coverage_signed -> units (unit_code));
diesel::joinable!(coverage_expected -> units (unit_code));
diesel::allow_tables_to_appear_in_same_query!(
    units,
    pledge_templates,
    campaigns,
    campaign_units,
    roster_entries,
    pledges,
    pledge_disputes,
    coverage_signed,
    coverage_expected,
    tips,
    tip_messages,
    tip_photos,
    tip_events,
    audit_log,
    assessments,
    assessment_events,
    assessment_files,
    criteria_sets,
    province_procedure,
    holidays,
    tip_notices,
    notice_outbox,
    tip_indicators,
    plans,
    plan_targets,
    province_calendar,
    annual_reports,
    emulation_blocks,
    emulation_entries,
    festivals,
    festival_photos,
    models,
    model_ratings,
    security_teams,
    team_members,
    team_ratings,
    registrations,
    unit_exclusions,
    incidents,
    briefings,
    subunit_titles
);
diesel::joinable!(models -> units (unit_code));
diesel::joinable!(model_ratings -> models (model_id));
diesel::joinable!(security_teams -> units (unit_code));
diesel::joinable!(registrations -> units (unit_code));
diesel::joinable!(unit_exclusions -> units (unit_code));
diesel::joinable!(incidents -> units (unit_code));
diesel::joinable!(subunit_titles -> units (unit_code));
diesel::joinable!(briefings -> units (unit_code));
diesel::joinable!(festival_photos -> festivals (festival_id));
diesel::joinable!(emulation_entries -> emulation_blocks (block_id));
