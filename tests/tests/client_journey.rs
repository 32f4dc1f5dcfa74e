//! The committed OpenAPI document is usable, not just valid: a Rust client generated from it by
//! progenitor (`tests/client`, as a mobile team generates theirs) drives one whole journey against
//! the real server on both backends — an officer logs in and opens a campaign, a household signs
//! and verifies its receipt, a citizen files a tip and follows it with the receipt code, the ward
//! officer finds it in the queue and answers, and the reporter reads the answer and replies.
//! Every answer is decoded into the generated types, so a field the document gets wrong (a
//! missing one, a time without an offset, a status outside an enum) fails here.

use bvantq_client::types;
use bvantq_client::{Client, ResponseValue};
use bvantq_shared::Role;
use bvantq_tests::{OrFail, TEST_PASSWORD, TestApp, both};

const COMMUNE: &str = "22333";
const AREA: &str = "KD-22333-0001";

fn key(what: &str) -> String {
    format!("{what}-{}", bvantq_api::infra::db::new_id())
}

/// A client that sends the officer's token, as an app does after logging in.
fn with_token(app: &TestApp, token: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {token}").parse().or_fail(),
    );
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .or_fail();
    Client::new_with_client(&app.url(""), http)
}

/// The answer of a call the journey expects to succeed, decoded into its generated type; a
/// failure names the step.
trait Succeeds<T> {
    fn ok(self, step: &'static str) -> impl std::future::Future<Output = T>;
}

impl<T, E, F> Succeeds<T> for F
where
    F: std::future::Future<Output = Result<ResponseValue<T>, bvantq_client::Error<E>>>,
    bvantq_client::Error<E>: std::fmt::Display,
{
    async fn ok(self, step: &'static str) -> T {
        self.await
            .unwrap_or_else(|e| panic!("{step}: {e}"))
            .into_inner()
    }
}

async fn a_generated_client_walks_the_whole_journey(app: TestApp) {
    let public = Client::new(&app.url(""));

    // The ward officer logs in through the client.
    app.add_user("can-bo-phuong", Role::WardOfficer, COMMUNE);
    let login = public
        .login()
        .body(types::LoginRequest {
            username: "can-bo-phuong".into(),
            password: TEST_PASSWORD.into(),
        })
        .send()
        .ok("login")
        .await;
    assert_eq!(login.user.role, types::Role::WardOfficer);
    assert_eq!(login.user.scope_unit, COMMUNE);
    let officer = with_token(&app, &login.access_token);

    // It opens a household campaign from the published template.
    let templates = public
        .list_pledge_templates()
        .kind("household")
        .send()
        .ok("templates")
        .await;
    let template = templates
        .iter()
        .find(|t| t.published && !t.retired)
        .unwrap_or_else(|| panic!("no published household template: {templates:?}"));
    let campaign = officer
        .create_campaign()
        .idempotency_key(key("campaign"))
        .body(types::CreateCampaignRequest {
            kind: "household".into(),
            year: 2026,
            title: "Cam kết hộ gia đình 2026".into(),
            template_id: template.id.clone(),
            opens_on: "2026-03-01".into(),
            closes_on: "2026-12-31".into(),
            units: vec![AREA.into()],
        })
        .send()
        .ok("campaign")
        .await;

    // A household opens it (the QR link) and signs every commitment.
    let page = public
        .get_public_campaign()
        .code(campaign.code.clone())
        .send()
        .await
        .unwrap_or_else(|e| panic!("campaign page: {e}"));
    let etag = page
        .headers()
        .get(reqwest::header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no ETag on the campaign page"));
    let page = page.into_inner();
    assert!(page.open, "{page:?}");
    assert_eq!(page.kind, types::PledgeKind::Household);
    // The phone opens it again with the tag it kept: 304 and no body (progenitor hands a 3xx
    // back as a response it has no type for).
    let again = public
        .get_public_campaign()
        .code(campaign.code.clone())
        .if_none_match(etag)
        .send()
        .await;
    match again {
        Err(bvantq_client::Error::UnexpectedResponse(r)) => assert_eq!(r.status(), 304),
        other => panic!("expected 304 Not Modified, got {other:?}"),
    }
    let receipt = public
        .sign_pledge()
        .code(campaign.code.clone())
        .idempotency_key(key("sign"))
        .body(types::SignRequest {
            unit_code: AREA.into(),
            full_name: "Nguyễn Văn Hộ".into(),
            birth_date: "1975-01-01".into(),
            citizen_id: Some("058075000111".into()),
            address: Some("12 Thống Nhất".into()),
            members: Some(4),
            phone: None,
            guardian: None,
            commitments_accepted: (1..=page.commitments.len() as i64).collect(),
            privacy_consent: true,
        })
        .send()
        .ok("sign")
        .await;
    assert!(receipt.created);
    assert!(receipt.receipt.starts_with("CK-"), "{receipt:?}");
    // The server's clock (fixed in the tests) read as the UTC instant the document promises.
    assert_eq!(
        receipt.signed_at.timestamp(),
        app.clock_now(),
        "signed_at is the server's instant in UTC: {}",
        receipt.signed_at
    );
    let verified = public
        .verify_receipt()
        .receipt(receipt.receipt.clone())
        .send()
        .ok("verify")
        .await;
    assert_eq!(verified.campaign_code, campaign.code);

    // A citizen files a tip and follows it with the receipt code.
    let tip = public
        .submit_tip()
        .idempotency_key(key("tip"))
        .body(types::TipRequest {
            category: "gambling".into(),
            description: "Có tụ điểm đánh bạc trong quán cà phê gần chợ.".into(),
            commune_code: COMMUNE.into(),
            anonymous: Some(true),
            contact: None,
            danger_to_life: Some(false),
            incident_at: None,
            latitude: None,
            longitude: None,
            photos: vec![],
            place: Some("Gần chợ".into()),
            indicators: vec![],
        })
        .send()
        .ok("tip")
        .await;
    assert_eq!(tip.status, types::TipStatus::Received);
    let follow = || async {
        public
            .follow_up_tip()
            .body(types::FollowUpRequest {
                receipt_code: tip.receipt_code.clone(),
            })
            .send()
            .ok("follow-up")
            .await
    };
    let seen = follow().await;
    assert_eq!(seen.category, types::TipCategory::Gambling);
    assert!(seen.messages.is_empty());

    // The ward officer finds it in the queue, opens it and answers.
    let queue = officer.list_tips().send().ok("queue").await;
    let summary = queue
        .items
        .iter()
        .find(|t| t.category == types::TipCategory::Gambling)
        .unwrap_or_else(|| panic!("the tip is not in the queue: {queue:?}"));
    assert_eq!(summary.commune_code, COMMUNE);
    let detail = officer
        .get_tip()
        .id(summary.id.clone())
        .send()
        .ok("detail")
        .await;
    assert_eq!(detail.status, types::TipStatus::Received);
    assert!(
        detail
            .description
            .as_deref()
            .is_some_and(|d| d.contains("đánh bạc")),
        "{detail:?}"
    );
    let sent = officer
        .message_reporter()
        .id(detail.id.clone())
        .idempotency_key(key("message"))
        .body(types::OfficerTextRequest {
            body: "Cảm ơn anh/chị. Quán đó mở cửa đến mấy giờ?".into(),
        })
        .send()
        .ok("officer message")
        .await;
    assert_eq!(sent.kind, types::TipMessageKind::Officer);

    // The reporter reads the answer and replies.
    let seen = follow().await;
    assert_eq!(seen.messages.len(), 1, "{seen:?}");
    assert_eq!(seen.messages[0].author, types::MessageAuthor::Officer);
    assert!(seen.messages[0].body.contains("mấy giờ"));
    let replied = public
        .reporter_reply()
        .idempotency_key(key("reply"))
        .body(types::ReporterMessageRequest {
            receipt_code: tip.receipt_code.clone(),
            body: Some("Mở đến 2 giờ sáng, có canh cửa.".into()),
            photos: vec![],
        })
        .send()
        .ok("reply")
        .await;
    assert_eq!(replied.messages.len(), 2);
    assert_eq!(replied.messages[1].author, types::MessageAuthor::Reporter);
    assert!(replied.messages[0].at <= replied.messages[1].at);
}

both!(a_generated_client_walks_the_whole_journey);
