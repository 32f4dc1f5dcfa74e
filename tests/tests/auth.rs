//! Login, refresh rotation and reuse detection, token validation, external identity providers,
//! rate limits, scope checks.

use bvantq_shared::Role;
use bvantq_tests::OrFail;
use bvantq_tests::{TEST_PASSWORD, TestApp, both, fixture, json, problem};
use chrono::TimeDelta;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.get("/api/v1/auth/me", Some(token)).await
}

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": token}),
        None,
        None,
    )
    .await
}

async fn login_gives_tokens_and_refresh_rotates(app: TestApp) {
    app.add_user("ward.a", Role::WardOfficer, "22759");
    let t = app.login("ward.a", TEST_PASSWORD).await;
    let access = bvantq_tests::text(&t, "access_token");
    let r1 = bvantq_tests::text(&t, "refresh_token").to_string();
    assert!(t["expires_in"].as_i64().is_some_and(|s| s > 0 && s <= 900));
    assert_eq!(t["user"]["role"], "ward_officer");
    let who = json(me(&app, access).await).await;
    assert_eq!(who["scope_unit"], "22759");
    assert_eq!(who["username"], "ward.a");

    // The access token carries what the design asks for.
    let payload = access.split('.').nth(1).or_fail();
    use base64::Engine;
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .or_fail(),
    )
    .or_fail();
    for c in ["iss", "aud", "exp", "nbf", "sub", "role", "scope"] {
        assert!(!claims[c].is_null(), "claim {c} missing: {claims}");
    }
    assert!(claims["exp"].as_i64().unwrap_or(0) - claims["nbf"].as_i64().unwrap_or(0) <= 900);

    // Rotation: a new pair, and the old refresh token is spent.
    let t2 = json(refresh(&app, &r1).await).await;
    let r2 = bvantq_tests::text(&t2, "refresh_token").to_string();
    assert_ne!(r1, r2);
    assert_eq!(
        me(&app, bvantq_tests::text(&t2, "access_token"))
            .await
            .status(),
        200
    );

    // Reusing r1 (stolen?) is refused and revokes the family: r2 stops working too.
    problem(refresh(&app, &r1).await, 401).await;
    problem(refresh(&app, &r2).await, 401).await;

    // A fresh login starts a new family that works.
    let t3 = app.login("ward.a", TEST_PASSWORD).await;
    let r3 = bvantq_tests::text(&t3, "refresh_token").to_string();
    assert_eq!(refresh(&app, &r3).await.status(), 200);
}

async fn logout_ends_the_session(app: TestApp) {
    app.add_user("ward.b", Role::WardOfficer, "22759");
    let t = app.login("ward.b", TEST_PASSWORD).await;
    let r = bvantq_tests::text(&t, "refresh_token");
    let out = app
        .post(
            "/api/v1/auth/logout",
            &json!({"refresh_token": r}),
            None,
            None,
        )
        .await;
    assert_eq!(out.status(), 204);
    problem(refresh(&app, r).await, 401).await;
}

async fn refresh_tokens_expire(app: TestApp) {
    app.add_user("ward.c", Role::WardOfficer, "22759");
    let t = app.login("ward.c", TEST_PASSWORD).await;
    app.clock.advance(TimeDelta::days(15));
    problem(
        refresh(&app, bvantq_tests::text(&t, "refresh_token")).await,
        401,
    )
    .await;
}

async fn wrong_password_is_401_and_says_nothing_more(app: TestApp) {
    app.add_user("ward.d", Role::WardOfficer, "22759");
    let body = json!({"username": "ward.d", "password": "wrong-password-x"});
    let p = problem(app.post("/api/v1/auth/login", &body, None, None).await, 401).await;
    let body = json!({"username": "nobody.here", "password": "wrong-password-x"});
    let q = problem(app.post("/api/v1/auth/login", &body, None, None).await, 401).await;
    assert_eq!(
        p["code"], q["code"],
        "unknown user and wrong password must look alike"
    );
    assert_eq!(p["code"], "invalid_credentials");
}

async fn bad_tokens_are_401(app: TestApp) {
    let good = app.login_as(Role::WardOfficer, "22759").await;
    assert_eq!(me(&app, &good).await.status(), 200);
    let cfg = app.config.clone();
    let now = app.clock_now();
    let claims = |aud: &str, exp: i64| {
        json!({"iss": cfg.jwt_issuer, "aud": aud, "sub": "x", "exp": exp, "nbf": now - 10, "iat": now - 10,
               "role": "ward_officer", "scope": "22759"})
    };
    let sign = |c: &serde_json::Value, key: &[u8]| {
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            c,
            &EncodingKey::from_secret(key),
        )
        .or_fail()
    };
    // Sanity: a token we craft with the right key is accepted.
    assert_eq!(
        me(
            &app,
            &sign(&claims(&cfg.jwt_audience, now + 60), &cfg.jwt_secret)
        )
        .await
        .status(),
        200
    );

    let expired = sign(&claims(&cfg.jwt_audience, now - 120), &cfg.jwt_secret);
    let wrong_aud = sign(&claims("someone-else", now + 60), &cfg.jwt_secret);
    let wrong_key = sign(
        &claims(&cfg.jwt_audience, now + 60),
        b"not-the-server-secret-not-the-server-secret",
    );
    // Tampered: change the payload (scope 22759 → 22333) and keep the signature.
    let parts: Vec<&str> = good.split('.').collect();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = String::from_utf8(b64.decode(parts[1]).or_fail()).or_fail();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64.encode(payload.replace("22759", "22333")),
        parts[2]
    );
    // alg none: header {"alg":"none"}, no signature.
    let none = format!(
        "{}.{}.",
        b64.encode(r#"{"alg":"none","typ":"JWT"}"#),
        parts[1]
    );
    for (what, t) in [
        ("expired", expired),
        ("wrong audience", wrong_aud),
        ("wrong key", wrong_key),
        ("tampered", tampered),
        ("alg none", none),
        ("garbage", "abc".into()),
    ] {
        let p = problem(me(&app, &t).await, 401).await;
        assert_eq!(p["code"], "invalid_token", "{what}");
    }
    problem(app.get("/api/v1/auth/me", None).await, 401).await;

    // Our own access token expires after at most 15 minutes.
    app.clock.advance(TimeDelta::minutes(16));
    problem(me(&app, &good).await, 401).await;
}

async fn external_identity_providers(app: TestApp) {
    let backend = app.backend;
    drop(app);
    for (alg, private, public) in [
        (Algorithm::RS256, "idp-rsa.pem", "idp-rsa.pub.pem"),
        (Algorithm::EdDSA, "idp-ed25519.pem", "idp-ed25519.pub.pem"),
    ] {
        let alg_name = if alg == Algorithm::RS256 {
            "RS256"
        } else {
            "EdDSA"
        };
        let idp = bvantq_api::infra::config::load_idp(
            &fixture(public),
            alg_name,
            Some("https://sso.example.gov.vn".into()),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let app = TestApp::spawn_with(backend, |c| c.idp = Some(idp)).await;
        let pem = std::fs::read(fixture(private)).or_fail();
        let key = match alg {
            Algorithm::RS256 => EncodingKey::from_rsa_pem(&pem),
            _ => EncodingKey::from_ed_pem(&pem),
        }
        .unwrap_or_else(|e| panic!("{e}"));
        let now = app.clock_now();
        let claims = json!({"iss": "https://sso.example.gov.vn", "aud": app.config.jwt_audience, "sub": "sso-user-1",
                            "exp": now + 300, "nbf": now, "iat": now, "role": "province_officer", "scope": "56"});
        let token = jsonwebtoken::encode(&Header::new(alg), &claims, &key).or_fail();
        let who = json(me(&app, &token).await).await;
        assert_eq!(who["issuer"], "https://sso.example.gov.vn", "{alg_name}");
        assert_eq!(who["role"], "province_officer");

        // Signed by someone else with the same algorithm: refused.
        if alg == Algorithm::RS256 {
            let other =
                EncodingKey::from_rsa_pem(&std::fs::read(fixture("other-rsa.pem")).or_fail())
                    .unwrap_or_else(|e| panic!("{e}"));
            let forged = jsonwebtoken::encode(&Header::new(alg), &claims, &other).or_fail();
            problem(me(&app, &forged).await, 401).await;
        }
        // Right key, wrong issuer: refused.
        let mut c2 = claims.clone();
        c2["iss"] = json!("https://evil.example");
        let t2 = jsonwebtoken::encode(&Header::new(alg), &c2, &key).or_fail();
        problem(me(&app, &t2).await, 401).await;
    }
}

async fn login_is_rate_limited_per_account(app: TestApp) {
    app.add_user("ward.e", Role::WardOfficer, "22759");
    let bad = json!({"username": "ward.e", "password": "wrong-password-x"});
    for _ in 0..5 {
        problem(app.post("/api/v1/auth/login", &bad, None, None).await, 401).await;
    }
    let r = app.post("/api/v1/auth/login", &bad, None, None).await;
    assert!(r.headers().get("retry-after").is_some());
    problem(r, 429).await;
    // Even the right password waits out the window.
    let good = json!({"username": "ward.e", "password": TEST_PASSWORD});
    problem(app.post("/api/v1/auth/login", &good, None, None).await, 429).await;
    app.clock.advance(TimeDelta::minutes(16));
    assert_eq!(
        app.post("/api/v1/auth/login", &good, None, None)
            .await
            .status(),
        200
    );
}

async fn login_is_rate_limited_per_ip(app: TestApp) {
    let backend = app.backend;
    drop(app);
    let app = TestApp::spawn_with(backend, |c| c.login_per_ip_per_minute = 3).await;
    for i in 0..3 {
        let body = json!({"username": format!("user{i}"), "password": "wrong-password-x"});
        problem(app.post("/api/v1/auth/login", &body, None, None).await, 401).await;
    }
    let body = json!({"username": "user9", "password": "wrong-password-x"});
    problem(app.post("/api/v1/auth/login", &body, None, None).await, 429).await;
}

async fn officers_see_only_their_subtree(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    // Own commune: fine. Another commune: 403.
    assert_eq!(
        app.get("/api/v1/users?unit=22759", Some(&ward))
            .await
            .status(),
        200
    );
    let p = problem(app.get("/api/v1/users?unit=22333", Some(&ward)).await, 403).await;
    assert_eq!(p["code"], "out_of_scope");
    let body = json!({"parent_code": "22333", "kind": "residential_area", "name": "Tổ dân phố 9"});
    problem(
        app.post("/api/v1/units", &body, Some(&ward), Some("k-403"))
            .await,
        403,
    )
    .await;
    assert_eq!(app.count("units WHERE name = 'Tổ dân phố 9'"), 0);
    // The province officer sees every commune of the province, not another province.
    let prov = app.login_as(Role::ProvinceOfficer, "56").await;
    assert_eq!(
        app.get("/api/v1/users?unit=22333", Some(&prov))
            .await
            .status(),
        200
    );
    problem(app.get("/api/v1/users?unit=00004", Some(&prov)).await, 403).await;
    // A school admin lists the accounts of its school (its form teachers), nothing outside it.
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let r = app.get("/api/v1/users", Some(&school)).await;
    assert_eq!(r.status(), 200);
    problem(
        app.get("/api/v1/users?unit=22759", Some(&school)).await,
        403,
    )
    .await;
}

/// Signs in `username` with `password`: (status, answer).
async fn sign_in(app: &TestApp, username: &str, password: &str) -> (u16, serde_json::Value) {
    let r = app
        .post(
            "/api/v1/auth/login",
            &json!({"username": username, "password": password}),
            None,
            None,
        )
        .await;
    let status = r.status().as_u16();
    (status, json(r).await)
}

/// Whoever manages an account locks it (its sessions end), unlocks it and sets a new password;
/// nobody else does, and nobody does it to their own account.
async fn managers_lock_unlock_and_reset_accounts(app: TestApp) {
    app.add_user("tinh.quanly", Role::ProvinceOfficer, "56");
    app.add_user("phuong.a", Role::WardOfficer, "22333");
    app.add_user("phuong.b", Role::WardOfficer, "22759");
    app.add_user("truong.c", Role::SchoolAdmin, "TH-22759-0001");
    let (_, p) = sign_in(&app, "tinh.quanly", TEST_PASSWORD).await;
    let province = bvantq_tests::text(&p, "access_token").to_string();
    let (_, a) = sign_in(&app, "phuong.a", TEST_PASSWORD).await;
    let ward_a = bvantq_tests::text(&a, "access_token").to_string();
    let a_id = bvantq_tests::text(&a["user"], "id").to_string();
    let a_refresh = bvantq_tests::text(&a, "refresh_token").to_string();
    let (_, b) = sign_in(&app, "phuong.b", TEST_PASSWORD).await;
    let ward_b = bvantq_tests::text(&b, "access_token").to_string();
    let (_, c) = sign_in(&app, "truong.c", TEST_PASSWORD).await;
    let c_id = bvantq_tests::text(&c["user"], "id").to_string();
    let p_id = bvantq_tests::text(&p["user"], "id").to_string();

    // Locked: no sign-in, and the refresh token is dead at once.
    let r = app
        .put(
            &format!("/api/v1/users/{a_id}/active"),
            &json!({"active": false}),
            &province,
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await["active"], false);
    assert_eq!(sign_in(&app, "phuong.a", TEST_PASSWORD).await.0, 401);
    assert_eq!(refresh(&app, &a_refresh).await.status(), 401);
    // Unlocked: signs in again.
    let r = app
        .put(
            &format!("/api/v1/users/{a_id}/active"),
            &json!({"active": true}),
            &province,
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(sign_in(&app, "phuong.a", TEST_PASSWORD).await.0, 200);

    // Not theirs to manage: a ward over the province officer, over another ward's school, over
    // itself; the province officer over itself.
    for (token, id) in [
        (&ward_a, &p_id),
        (&ward_a, &c_id),
        (&ward_a, &a_id),
        (&province, &p_id),
    ] {
        let r = app
            .put(
                &format!("/api/v1/users/{id}/active"),
                &json!({"active": false}),
                token,
            )
            .await;
        assert_eq!(r.status(), 403, "{id}");
    }
    let r = app
        .put(
            "/api/v1/users/no-such-id/active",
            &json!({"active": false}),
            &province,
        )
        .await;
    assert_eq!(r.status(), 404);

    // A new password from the school's own ward: checked by the shared parser, then the old one
    // stops working.
    let p422 = problem(
        app.put(
            &format!("/api/v1/users/{c_id}/password"),
            &json!({"password": "ngan"}),
            &ward_b,
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p422["field"], "password");
    let r = app
        .put(
            &format!("/api/v1/users/{c_id}/password"),
            &json!({"password": "mat-khau-moi-2026"}),
            &ward_b,
        )
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(sign_in(&app, "truong.c", TEST_PASSWORD).await.0, 401);
    assert_eq!(sign_in(&app, "truong.c", "mat-khau-moi-2026").await.0, 200);
}

/// An officer changes their own password: the current one is checked, a same password is
/// refused, and afterwards every other session is over while this one goes on with new tokens.
async fn officers_change_their_own_password(app: TestApp) {
    app.add_user("doi.matkhau", Role::WardOfficer, "22333");
    let (_, a) = sign_in(&app, "doi.matkhau", TEST_PASSWORD).await;
    let (_, b) = sign_in(&app, "doi.matkhau", TEST_PASSWORD).await;
    let token = bvantq_tests::text(&a, "access_token").to_string();
    let other_refresh = bvantq_tests::text(&b, "refresh_token").to_string();
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let p = problem(
        app.post(
            "/api/v1/auth/password",
            &change("sai-mat-khau-roi", "mat-khau-moi-2026"),
            Some(&token),
            None,
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        (p["field"].as_str(), p["code"].as_str()),
        (Some("current_password"), Some("wrong_password"))
    );
    let p = problem(
        app.post(
            "/api/v1/auth/password",
            &change(TEST_PASSWORD, TEST_PASSWORD),
            Some(&token),
            None,
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p["code"], "password_unchanged");
    let r = app
        .post(
            "/api/v1/auth/password",
            &change(TEST_PASSWORD, "mat-khau-moi-2026"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
    let fresh = json(r).await;
    assert_eq!(
        refresh(&app, &other_refresh).await.status(),
        401,
        "other sessions end"
    );
    let next = bvantq_tests::text(&fresh, "refresh_token");
    assert_eq!(refresh(&app, next).await.status(), 200, "this one goes on");
    assert_eq!(sign_in(&app, "doi.matkhau", TEST_PASSWORD).await.0, 401);
    assert_eq!(
        sign_in(&app, "doi.matkhau", "mat-khau-moi-2026").await.0,
        200
    );
}

both!(
    officers_change_their_own_password,
    managers_lock_unlock_and_reset_accounts,
    login_gives_tokens_and_refresh_rotates,
    logout_ends_the_session,
    refresh_tokens_expire,
    wrong_password_is_401_and_says_nothing_more,
    bad_tokens_are_401,
    external_identity_providers,
    login_is_rate_limited_per_account,
    login_is_rate_limited_per_ip,
    officers_see_only_their_subtree,
);
