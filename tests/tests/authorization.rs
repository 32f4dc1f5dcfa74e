//! The authorisation matrix (SECURITY.md, "Who may call what"): every operation of the route
//! table × every role × a resource of the caller's own scope, of another scope, and no account
//! at all, each against the answer the matrix documents. The operations are read from the OpenAPI
//! document the route table generates: a new route without a row here fails the test.

use bvantq_tests::OrFail;
use std::collections::{BTreeMap, BTreeSet};

use bvantq_shared::Role;
use bvantq_tests::{TestApp, both, json};
use serde_json::{Value, json};

/// Who may call an operation.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Anyone, without an account.
    Public,
    /// Anyone; what the body carries (a password, a refresh token, a receipt code) decides, so a
    /// wrong one is a 401 or 404 whoever sends it — never a 403.
    Credentials,
    /// Any account, about itself (no resource of a scope).
    Session,
    /// These roles (administrators always), on a resource inside their scope; a resource of
    /// another scope is 403 or 404; every other role 403 or 404; no account 401.
    Scoped(&'static [Role]),
    /// The operator, with the metrics token or on the metrics address: 404 to everyone here.
    Operator,
}

use Role::{
    AreaHead as Head, CommuneLeader as Leader, EducationOfficer as Edu, FormTeacher as Teacher,
    OrgAdmin as Org, ProvinceOfficer as Province, SchoolAdmin as School, WardOfficer as Ward,
};

const OFFICERS: &[Role] = &[Ward, School, Org, Province];
/// Who sees an assessment: the officers, the heads of residential areas (their own area's) and
/// the commune's leaders (TT 124 arts. 9–10).
/// the commune's leaders (TT 124 arts. 9–10), the education department (schools').
const ASSESSORS: &[Role] = &[Ward, School, Org, Province, Head, Leader, Edu];
/// Who reads a commune's campaigns, coverage, records, results and reports: the officers and
/// the commune's leaders (the People's Committee leads the movement in the commune), and the
/// education department for the schools (their models, briefings, results and reports).
const OVERSEERS: &[Role] = &[Ward, School, Org, Province, Leader, Edu];
/// Who reads a commune's security records (its areas' teams and festivals, the events of
/// criterion 4, its registrations board): the overseers but the education department.
const SECURITY_READERS: &[Role] = &[Ward, School, Org, Province, Leader];
/// Who prepares one: the self-assessing party and those who prepare it with it.
const PREPARERS: &[Role] = &[Ward, School, Org, Head, Leader];
const TIPS: &[Role] = &[Ward, Province];
const CAMPAIGNS: &[Role] = &[Ward, School, Org, Province];

/// What an operation is about, filled in from the caller's world.
#[derive(Debug, Clone, Copy)]
enum On {
    Nothing,
    Unit,
    Campaign,
    Pledge,
    Dispute,
    Tip,
    Photo,
    /// The unit the caller fills an assessment of (area, school, enterprise; a commune for the
    /// province, which reviews it).
    Assessed,
    /// A unit the caller reviews.
    Reviewed,
    AssessmentFile,
    Account,
    Template,
    Receipt,
    /// A plan of the world's province.
    Plan,
    /// An annual report of the world's commune.
    AnnualReport,
    /// An emulation entry of the world's assessed unit.
    Emulation,
    /// A photo of a festival of a residential area of the world (none where the world has no
    /// area: only roles that may not read one ask there).
    FestivalPhoto,
    /// A self-managed model of the world's assessed unit.
    Model,
}

/// Every operation with its rule: the matrix SECURITY.md documents.
const MATRIX: &[(&str, &str, Rule, On)] = &[
    ("POST", "/api/v1/auth/login", Rule::Credentials, On::Nothing),
    (
        "POST",
        "/api/v1/auth/refresh",
        Rule::Credentials,
        On::Nothing,
    ),
    ("POST", "/api/v1/auth/logout", Rule::Public, On::Nothing),
    ("GET", "/api/v1/auth/me", Rule::Session, On::Nothing),
    ("POST", "/api/v1/auth/password", Rule::Session, On::Nothing),
    ("GET", "/api/v1/units", Rule::Public, On::Nothing),
    ("GET", "/api/v1/units/{code}", Rule::Public, On::Unit),
    ("POST", "/api/v1/units", Rule::Scoped(OFFICERS), On::Unit),
    (
        "POST",
        "/api/v1/users",
        Rule::Scoped(&[Ward, Province]),
        On::Unit,
    ),
    // A school lists its form teachers' accounts (and may grant that role only).
    (
        "GET",
        "/api/v1/users",
        Rule::Scoped(&[Ward, Province, School]),
        On::Unit,
    ),
    (
        "PUT",
        "/api/v1/users/{id}/active",
        Rule::Scoped(&[Ward, Province]),
        On::Account,
    ),
    (
        "PUT",
        "/api/v1/users/{id}/password",
        Rule::Scoped(&[Ward, Province]),
        On::Account,
    ),
    ("GET", "/api/v1/pledge-templates", Rule::Public, On::Nothing),
    (
        "GET",
        "/api/v1/pledge-templates/managed",
        Rule::Scoped(&[Province]),
        On::Nothing,
    ),
    (
        "POST",
        "/api/v1/pledge-templates",
        Rule::Scoped(&[Province]),
        On::Unit,
    ),
    (
        "PUT",
        "/api/v1/pledge-templates/{id}",
        Rule::Scoped(&[Province]),
        On::Template,
    ),
    (
        "POST",
        "/api/v1/pledge-templates/{id}/publish",
        Rule::Scoped(&[Province]),
        On::Template,
    ),
    (
        "POST",
        "/api/v1/pledge-templates/{id}/retire",
        Rule::Scoped(&[Province]),
        On::Template,
    ),
    (
        "POST",
        "/api/v1/campaigns",
        Rule::Scoped(CAMPAIGNS),
        On::Campaign,
    ),
    (
        "GET",
        "/api/v1/campaigns",
        Rule::Scoped(OVERSEERS),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/campaigns/{code}",
        Rule::Public,
        On::Campaign,
    ),
    (
        "GET",
        "/api/v1/campaigns/{code}/qr.svg",
        Rule::Public,
        On::Campaign,
    ),
    (
        "POST",
        "/api/v1/campaigns/{code}/pledges",
        Rule::Public,
        On::Campaign,
    ),
    (
        "POST",
        "/api/v1/campaigns/{code}/pledges/contest",
        Rule::Public,
        On::Campaign,
    ),
    (
        "GET",
        "/api/v1/campaigns/{code}/disputes",
        Rule::Scoped(CAMPAIGNS),
        On::Campaign,
    ),
    (
        "POST",
        "/api/v1/campaigns/{code}/paper-pledges",
        Rule::Scoped(&[Ward, School, Org, Province, Teacher]),
        On::Campaign,
    ),
    (
        "POST",
        "/api/v1/campaigns/{code}/roster",
        Rule::Scoped(CAMPAIGNS),
        On::Campaign,
    ),
    (
        "PUT",
        "/api/v1/campaigns/{code}/expected",
        Rule::Scoped(CAMPAIGNS),
        On::Campaign,
    ),
    (
        "PUT",
        "/api/v1/campaigns/{code}/window",
        Rule::Scoped(CAMPAIGNS),
        On::Campaign,
    ),
    (
        "GET",
        "/api/v1/campaigns/{code}/pledges",
        Rule::Scoped(CAMPAIGNS),
        On::Campaign,
    ),
    (
        "GET",
        "/api/v1/campaigns/{code}/pledges.csv",
        Rule::Scoped(CAMPAIGNS),
        On::Campaign,
    ),
    (
        "GET",
        "/api/v1/campaigns/{code}/pledges.xlsx",
        Rule::Scoped(CAMPAIGNS),
        On::Campaign,
    ),
    (
        "GET",
        "/api/v1/pledges/verify/{receipt}",
        Rule::Public,
        On::Receipt,
    ),
    (
        "GET",
        "/api/v1/pledges/verify/{receipt}/qr.svg",
        Rule::Public,
        On::Receipt,
    ),
    (
        "POST",
        "/api/v1/pledges/{id}/verify",
        Rule::Scoped(CAMPAIGNS),
        On::Pledge,
    ),
    (
        "POST",
        "/api/v1/pledges/{id}/void",
        Rule::Scoped(CAMPAIGNS),
        On::Pledge,
    ),
    (
        "POST",
        "/api/v1/pledge-disputes/{id}/resolve",
        Rule::Scoped(CAMPAIGNS),
        On::Dispute,
    ),
    ("GET", "/api/v1/coverage", Rule::Scoped(OVERSEERS), On::Unit),
    ("POST", "/api/v1/tips", Rule::Public, On::Nothing),
    (
        "POST",
        "/api/v1/tips/follow-up",
        Rule::Credentials,
        On::Nothing,
    ),
    (
        "POST",
        "/api/v1/tips/follow-up/messages",
        Rule::Credentials,
        On::Nothing,
    ),
    ("GET", "/api/v1/tips", Rule::Scoped(TIPS), On::Unit),
    (
        "GET",
        "/api/v1/tips/deadlines",
        Rule::Scoped(TIPS),
        On::Unit,
    ),
    ("GET", "/api/v1/tips/stats", Rule::Scoped(TIPS), On::Unit),
    (
        "GET",
        "/api/v1/tips/indicator-clusters",
        Rule::Scoped(&[Province]),
        On::Unit,
    ),
    ("GET", "/api/v1/tips/{id}", Rule::Scoped(TIPS), On::Tip),
    (
        "GET",
        "/api/v1/tips/{id}/photos/{photo_id}",
        Rule::Scoped(TIPS),
        On::Photo,
    ),
    (
        "POST",
        "/api/v1/tips/{id}/steps",
        Rule::Scoped(TIPS),
        On::Tip,
    ),
    (
        "POST",
        "/api/v1/tips/{id}/transition",
        Rule::Scoped(TIPS),
        On::Tip,
    ),
    // Urgent-tip notices: the commune police's and the province's own (filtered by audience
    // inside the scope); the gateway's dead letters are the province's.
    ("GET", "/api/v1/notices", Rule::Scoped(TIPS), On::Nothing),
    (
        "GET",
        "/api/v1/notices/stream",
        Rule::Scoped(TIPS),
        On::Nothing,
    ),
    (
        "GET",
        "/api/v1/notices/dead-letters",
        Rule::Scoped(&[Province]),
        On::Nothing,
    ),
    // A province's procedure numbers and days off: read by every tip role of the province, kept
    // by the province (another province's answer 404 is in tests/tests/tips.rs).
    (
        "GET",
        "/api/v1/provinces/{code}/procedure",
        Rule::Scoped(TIPS),
        On::Nothing,
    ),
    (
        "PUT",
        "/api/v1/provinces/{code}/procedure",
        Rule::Scoped(&[Province]),
        On::Nothing,
    ),
    (
        "POST",
        "/api/v1/tips/{id}/assign",
        Rule::Scoped(TIPS),
        On::Tip,
    ),
    (
        "POST",
        "/api/v1/tips/{id}/priority",
        Rule::Scoped(TIPS),
        On::Tip,
    ),
    (
        "POST",
        "/api/v1/tips/{id}/extend",
        Rule::Scoped(TIPS),
        On::Tip,
    ),
    (
        "POST",
        "/api/v1/tips/{id}/messages",
        Rule::Scoped(TIPS),
        On::Tip,
    ),
    (
        "POST",
        "/api/v1/tips/{id}/notes",
        Rule::Scoped(TIPS),
        On::Tip,
    ),
    (
        "GET",
        "/api/v1/tips/{id}/audit",
        Rule::Scoped(&[Province]),
        On::Tip,
    ),
    ("GET", "/api/v1/audit", Rule::Scoped(&[Province]), On::Unit),
    ("GET", "/api/v1/criteria-sets", Rule::Public, On::Nothing),
    (
        "POST",
        "/api/v1/criteria-sets",
        Rule::Scoped(&[Province]),
        On::Nothing,
    ),
    (
        "GET",
        "/api/v1/assessments/{unit}/{period}",
        Rule::Scoped(ASSESSORS),
        On::Assessed,
    ),
    (
        "PUT",
        "/api/v1/assessments/{unit}/{period}",
        Rule::Scoped(PREPARERS),
        On::Assessed,
    ),
    (
        "POST",
        "/api/v1/assessments/{unit}/{period}/submit",
        Rule::Scoped(&[School, Org, Head, Leader]),
        On::Assessed,
    ),
    (
        "POST",
        "/api/v1/assessments/{unit}/{period}/approve",
        Rule::Scoped(&[Province, Leader]),
        On::Reviewed,
    ),
    (
        "POST",
        "/api/v1/assessments/{unit}/{period}/return",
        Rule::Scoped(&[Province, Leader]),
        On::Reviewed,
    ),
    (
        "POST",
        "/api/v1/assessments/{unit}/{period}/files",
        Rule::Scoped(PREPARERS),
        On::Assessed,
    ),
    (
        "GET",
        "/api/v1/assessments/{unit}/{period}/files/{id}",
        Rule::Scoped(ASSESSORS),
        On::AssessmentFile,
    ),
    // The plans a province keeps: its officers (another province's plan is a 404).
    (
        "GET",
        "/api/v1/provinces/{code}/plans",
        Rule::Scoped(&[Province]),
        On::Nothing,
    ),
    (
        "POST",
        "/api/v1/provinces/{code}/plans",
        Rule::Scoped(&[Province]),
        On::Nothing,
    ),
    (
        "PUT",
        "/api/v1/plans/{id}",
        Rule::Scoped(&[Province]),
        On::Plan,
    ),
    (
        "POST",
        "/api/v1/plans/{id}/publish",
        Rule::Scoped(&[Province]),
        On::Plan,
    ),
    (
        "PUT",
        "/api/v1/plans/{id}/figures",
        Rule::Scoped(&[Province]),
        On::Plan,
    ),
    // The reporting year: read by every officer (their province's), kept by the province.
    ("GET", "/api/v1/calendar", Rule::Scoped(OVERSEERS), On::Unit),
    (
        "GET",
        "/api/v1/provinces/{code}/calendar",
        Rule::Scoped(&[Province]),
        On::Nothing,
    ),
    (
        "PUT",
        "/api/v1/provinces/{code}/calendar",
        Rule::Scoped(&[Province]),
        On::Nothing,
    ),
    // A class's sheet: its form teacher and those who run pupils' campaigns.
    (
        "GET",
        "/api/v1/units/{code}/class-sheet",
        Rule::Scoped(&[School, Province, Teacher]),
        On::Unit,
    ),
    // The schools of the province: its education department and its officers.
    (
        "GET",
        "/api/v1/provinces/{code}/schools",
        Rule::Scoped(&[Province, Edu]),
        On::Nothing,
    ),
    // Annual reports: a commune's police send, the province reads the board; a report is read
    // by its commune's police and the province's officers.
    (
        "POST",
        "/api/v1/units/{code}/annual-reports",
        Rule::Scoped(&[Ward]),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/units/{code}/annual-reports",
        Rule::Scoped(&[Ward, Province]),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/provinces/{code}/annual-reports",
        Rule::Scoped(&[Province]),
        On::Nothing,
    ),
    (
        "GET",
        "/api/v1/annual-reports/{id}",
        Rule::Scoped(&[Ward, Province]),
        On::AnnualReport,
    ),
    (
        "GET",
        "/api/v1/annual-reports/{id}/report.xlsx",
        Rule::Scoped(&[Ward, Province]),
        On::AnnualReport,
    ),
    (
        "GET",
        "/api/v1/annual-reports/{id}/report.pdf",
        Rule::Scoped(&[Ward, Province]),
        On::AnnualReport,
    ),
    // Emulation: blocks read by the province's officers, kept by the province; units register
    // and review; the province proposes and decides.
    (
        "GET",
        "/api/v1/provinces/{code}/emulation-blocks",
        Rule::Scoped(&[Ward, School, Org, Province, Head, Leader]),
        On::Nothing,
    ),
    (
        "POST",
        "/api/v1/provinces/{code}/emulation-blocks",
        Rule::Scoped(&[Province]),
        On::Nothing,
    ),
    (
        "GET",
        "/api/v1/units/{code}/emulation",
        Rule::Scoped(OVERSEERS),
        On::Unit,
    ),
    (
        "POST",
        "/api/v1/units/{code}/emulation",
        Rule::Scoped(&[Ward, School, Org]),
        On::Unit,
    ),
    (
        "POST",
        "/api/v1/emulation/{id}/review",
        Rule::Scoped(&[Ward, School, Org]),
        On::Emulation,
    ),
    (
        "POST",
        "/api/v1/emulation/{id}/proposal",
        Rule::Scoped(&[Province]),
        On::Emulation,
    ),
    (
        "POST",
        "/api/v1/emulation/{id}/decision",
        Rule::Scoped(&[Province]),
        On::Emulation,
    ),
    (
        "GET",
        "/api/v1/provinces/{code}/emulation",
        Rule::Scoped(&[Province]),
        On::Nothing,
    ),
    // The festival of 19/8: recorded by the commune's police for an area, listed for any officer
    // in scope; its photos read by the commune's police and the province.
    (
        "POST",
        "/api/v1/units/{code}/festivals",
        Rule::Scoped(&[Ward]),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/units/{code}/festivals",
        Rule::Scoped(SECURITY_READERS),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/festival-photos/{id}",
        Rule::Scoped(&[Ward, Province]),
        On::FestivalPhoto,
    ),
    // The records of the year: models kept by the commune's police and by a school or an
    // agency for its own; teams by the commune's police; both lists read by any officer in scope.
    (
        "POST",
        "/api/v1/units/{code}/models",
        Rule::Scoped(&[Ward, School, Org]),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/units/{code}/models",
        Rule::Scoped(OVERSEERS),
        On::Unit,
    ),
    (
        "PUT",
        "/api/v1/models/{id}",
        Rule::Scoped(&[Ward, School, Org]),
        On::Model,
    ),
    (
        "PUT",
        "/api/v1/models/{id}/ratings/{year}",
        Rule::Scoped(&[Ward, School, Org]),
        On::Model,
    ),
    (
        "PUT",
        "/api/v1/units/{code}/security-team",
        Rule::Scoped(&[Ward]),
        On::Unit,
    ),
    (
        "PUT",
        "/api/v1/units/{code}/security-team/ratings/{year}",
        Rule::Scoped(&[Ward]),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/units/{code}/security-teams",
        Rule::Scoped(SECURITY_READERS),
        On::Unit,
    ),
    // Registrations of quarter I: recorded by any officer for a unit in scope (a school or an
    // agency for its own, the province for a commune); who is outside the Thông tư, said by the
    // commune's police or the province; a commune's board read by any officer in scope.
    (
        "PUT",
        "/api/v1/units/{code}/registrations/{year}",
        Rule::Scoped(OFFICERS),
        On::Unit,
    ),
    (
        "PUT",
        "/api/v1/units/{code}/eligibility",
        Rule::Scoped(&[Ward, Province]),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/units/{code}/registrations",
        Rule::Scoped(SECURITY_READERS),
        On::Unit,
    ),
    // Briefings of an agency's, enterprise's or school's people: the unit, the commune's police,
    // the province.
    (
        "POST",
        "/api/v1/units/{code}/briefings",
        Rule::Scoped(&[Ward, School, Org, Province]),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/units/{code}/briefings",
        Rule::Scoped(OVERSEERS),
        On::Unit,
    ),
    // The emulation titles of an agency's, enterprise's or school's sub-units (arts. 6.5, 7.6):
    // declared by the unit's own account (who prepares its assessment), read by whoever
    // oversees the unit.
    (
        "PUT",
        "/api/v1/units/{code}/subunit-titles/{year}",
        Rule::Scoped(&[School, Org]),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/units/{code}/subunit-titles/{year}",
        Rule::Scoped(OVERSEERS),
        On::Unit,
    ),
    // The events of criterion 4: recorded by the commune's police and the province.
    (
        "POST",
        "/api/v1/units/{code}/incidents",
        Rule::Scoped(&[Ward, Province]),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/units/{code}/incidents",
        Rule::Scoped(SECURITY_READERS),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/dashboard",
        Rule::Scoped(OVERSEERS),
        On::Unit,
    ),
    // The country: the administrators only (their scope is every province).
    (
        "GET",
        "/api/v1/dashboard/national",
        Rule::Scoped(&[]),
        On::Nothing,
    ),
    (
        "GET",
        "/api/v1/coverage/national",
        Rule::Scoped(&[]),
        On::Nothing,
    ),
    (
        "GET",
        "/api/v1/dashboard/report.csv",
        Rule::Scoped(OVERSEERS),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/dashboard/report.xlsx",
        Rule::Scoped(OVERSEERS),
        On::Unit,
    ),
    (
        "GET",
        "/api/v1/dashboard/report.pdf",
        Rule::Scoped(OVERSEERS),
        On::Unit,
    ),
    ("GET", "/api/v1/openapi.json", Rule::Public, On::Nothing),
    ("GET", "/healthz", Rule::Public, On::Nothing),
    ("GET", "/readyz", Rule::Public, On::Nothing),
    ("GET", "/metrics", Rule::Operator, On::Nothing),
];

/// The resources of one scope, as one caller sees its world.
#[derive(Debug, Clone, Default)]
struct World {
    unit: String,
    /// Where an account of the caller's kind would be created (and which kind of unit).
    child_kind: &'static str,
    campaign: String,
    campaign_unit: String,
    /// A national template of the campaign's kind.
    national: String,
    commitments: usize,
    pledge: String,
    receipt: String,
    dispute: String,
    tip: String,
    photo: String,
    assessed: String,
    reviewed: String,
    file: String,
    account: String,
    account_role: &'static str,
    account_scope: String,
    template: String,
    /// A draft plan of the world's province.
    plan: String,
    /// The world's commune.
    commune: String,
    /// An emulation block of the world's province.
    block: String,
    annual_report: String,
    emulation: String,
    festival_photo: String,
    model: String,
}

const PERIOD: i32 = 2026;

struct Fixture {
    tokens: BTreeMap<Role, String>,
    own: BTreeMap<Role, World>,
    foreign: BTreeMap<Role, World>,
}

async fn ok(r: reqwest::Response) -> Value {
    let status = r.status();
    let url = r.url().to_string();
    let v = json(r).await;
    assert!(status.is_success(), "{url}: {status}: {v}");
    v
}

/// A valid draft plan.
fn plan_body(title: &str) -> Value {
    json!({"title_vi": title, "title_en": "Plan 2026–2030", "from_period": 2026, "to_period": 2030,
           "targets": [{"metric": "safe_percent", "group": "commune", "min": 95}]})
}

fn household(name: &str, unit: &str, cccd: &str, n: usize) -> Value {
    json!({"unit_code": unit, "full_name": name, "birth_date": "1980-01-01", "citizen_id": cccd,
           "address": format!("Số 1, {name}"), "members": 3,
           "commitments_accepted": (1..=n).collect::<Vec<_>>(), "privacy_consent": true})
}

fn person(kind: &str, name: &str, unit: &str, cccd: &str, n: usize) -> Value {
    let mut b = json!({"unit_code": unit, "full_name": name, "birth_date": "1980-01-01",
        "citizen_id": cccd, "commitments_accepted": (1..=n).collect::<Vec<_>>(), "privacy_consent": true});
    if kind == "student" {
        b["birth_date"] = json!("2011-02-02");
        b["guardian"] = json!({"name": "Người Giám Hộ", "relation": "Mẹ", "phone": "0912345678"});
        b.as_object_mut().map(|o| o.remove("citizen_id"));
    }
    b
}

/// One world: a campaign of `kind` on `campaign_unit` run by `runner`, a pledge and a dispute on
/// it, a tip with a photo in `commune`, an assessment unit, an account the scope's manager may
/// manage, a province template.
#[allow(clippy::too_many_arguments)]
async fn world(
    app: &TestApp,
    tag: &str,
    unit: &str,
    commune: &str,
    runner: &str,
    kind: &str,
    campaign_unit: &str,
    assessed: &str,
    reviewed: &str,
    account: (&'static str, &str),
    province_token: &str,
) -> World {
    let code = app
        .open_campaign(runner, kind, &format!("Cam kết {tag}"), &[campaign_unit])
        .await;
    let public = ok(app.get(&format!("/api/v1/campaigns/{code}"), None).await).await;
    let commitments = public["commitments"].as_array().map_or(0, Vec::len);
    let digits = |n: u32| format!("0560800{:05}", n);
    let h = tag.bytes().map(u32::from).sum::<u32>();
    let body = |name: &str, n: u32| match kind {
        "household" => household(name, campaign_unit, &digits(h * 10 + n), commitments),
        k => person(k, name, campaign_unit, &digits(h * 10 + n), commitments),
    };
    let signed = ok(app
        .post(
            &format!("/api/v1/campaigns/{code}/pledges"),
            &body("Người Ký Trước", 1),
            None,
            Some(&format!("{tag}-p")),
        )
        .await)
    .await;
    let contested = ok(app
        .post(
            &format!("/api/v1/campaigns/{code}/pledges/contest"),
            &body("Người Ký Trước", 1),
            None,
            Some(&format!("{tag}-c")),
        )
        .await)
    .await;
    assert_eq!(contested["disputed"], true, "{tag}: {contested}");
    let disputes = ok(app
        .get(&format!("/api/v1/campaigns/{code}/disputes"), Some(runner))
        .await)
    .await;
    let pledges = ok(app
        .get(&format!("/api/v1/campaigns/{code}/pledges"), Some(runner))
        .await)
    .await;
    // A second, plain pledge to verify and void.
    let _ = ok(app
        .post(
            &format!("/api/v1/campaigns/{code}/pledges"),
            &body("Người Ký Sau", 2),
            None,
            Some(&format!("{tag}-p2")),
        )
        .await)
    .await;
    let pledges2 = ok(app
        .get(&format!("/api/v1/campaigns/{code}/pledges"), Some(runner))
        .await)
    .await;
    let plain = pledges2["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["full_name"] == "Người Ký Sau")
        .and_then(|p| p["id"].as_str())
        .or_fail()
        .to_string();
    let _ = pledges;
    // A tip with a photo, in the commune.
    use base64::Engine;
    let png =
        std::fs::read(bvantq_tests::fixture("photo-meta.png")).unwrap_or_else(|e| panic!("{e}"));
    let tip = json!({"category": "drugs", "commune_code": commune, "description": format!("Tin báo {tag}"),
        "photos": [{"data": base64::engine::general_purpose::STANDARD.encode(png)}]});
    ok(app
        .post("/api/v1/tips", &tip, None, Some(&format!("{tag}-t")))
        .await)
    .await;
    let list = ok(app
        .get(
            &format!("/api/v1/tips?unit={commune}"),
            Some(province_token),
        )
        .await)
    .await;
    let tip_id = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["commune_code"] == commune)
        .and_then(|t| t["id"].as_str())
        .or_fail()
        .to_string();
    let detail = ok(app
        .get(&format!("/api/v1/tips/{tip_id}"), Some(province_token))
        .await)
    .await;
    let photo = detail["photo_ids"][0]
        .as_str()
        .unwrap_or_else(|| panic!("no photo: {detail}"))
        .to_string();
    let templates = ok(app
        .get(&format!("/api/v1/pledge-templates?kind={kind}"), None)
        .await)
    .await;
    let national = bvantq_tests::text(&templates[0], "id").to_string();
    World {
        unit: unit.to_string(),
        child_kind: "",
        campaign: code,
        campaign_unit: campaign_unit.to_string(),
        national,
        commitments,
        pledge: plain,
        receipt: bvantq_tests::text(&signed, "receipt").to_string(),
        dispute: bvantq_tests::text(&disputes[0], "id").to_string(),
        tip: tip_id,
        photo,
        assessed: assessed.to_string(),
        reviewed: reviewed.to_string(),
        file: String::new(),
        account: String::new(),
        account_role: account.0,
        account_scope: account.1.to_string(),
        template: String::new(),
        plan: String::new(),
        commune: commune.to_string(),
        block: String::new(),
        annual_report: String::new(),
        emulation: String::new(),
        festival_photo: "none".into(),
        model: String::new(),
    }
}

async fn fixture(app: &TestApp) -> Fixture {
    let admin = app.login_as(Role::Admin, "56").await;
    let mut tokens = BTreeMap::new();
    tokens.insert(Ward, app.login_as(Ward, "22759").await);
    tokens.insert(School, app.login_as(School, "TH-22759-0001").await);
    tokens.insert(Org, app.login_as(Org, "DN-22759-0001").await);
    tokens.insert(Province, app.login_as(Province, "56").await);
    tokens.insert(Role::Admin, admin.clone());
    // Foreign units: a school and an enterprise of another commune, with a class and a
    // department; a residential area in another province.
    let ward2 = app.login_as(Ward, "22333").await;
    let ward75 = app.login_as(Ward, "25195").await;
    let prov75 = app.login_as(Province, "75").await;
    let mk = |token: String,
              parent: &'static str,
              kind: &'static str,
              name: &'static str,
              key: &'static str| async move {
        let v = ok(app
            .post(
                "/api/v1/units",
                &json!({"parent_code": parent, "kind": kind, "name": name}),
                Some(&token),
                Some(key),
            )
            .await)
        .await;
        bvantq_tests::text(&v, "code").to_string()
    };
    let school2 = mk(ward2.clone(), "22333", "school", "THCS Bắc Nha Trang", "u1").await;
    let ent2 = mk(
        ward2.clone(),
        "22333",
        "enterprise",
        "Công ty Bắc Nha Trang",
        "u2",
    )
    .await;
    let area75 = mk(
        ward75.clone(),
        "25195",
        "residential_area",
        "Khu phố 1 Bình Phước",
        "u3",
    )
    .await;
    // A school of another province, for the education department's foreign world.
    let school75 = mk(ward75.clone(), "25195", "school", "THPT Đồng Xoài", "u6").await;
    let school2_admin = app.login_as(School, &school2).await;
    let school75_admin = app.login_as(School, &school75).await;
    let class75 = {
        let v = ok(app
            .post(
                "/api/v1/units",
                &json!({"parent_code": school75, "kind": "class", "name": "Lớp 10A"}),
                Some(&school75_admin),
                Some("u7"),
            )
            .await)
        .await;
        bvantq_tests::text(&v, "code").to_string()
    };
    let ent2_admin = app.login_as(Org, &ent2).await;
    let class2 = {
        let v = ok(app
            .post(
                "/api/v1/units",
                &json!({"parent_code": school2, "kind": "class", "name": "Lớp 8A"}),
                Some(&school2_admin),
                Some("u4"),
            )
            .await)
        .await;
        bvantq_tests::text(&v, "code").to_string()
    };
    let dept2 = {
        let v = ok(app
            .post(
                "/api/v1/units",
                &json!({"parent_code": ent2, "kind": "department", "name": "Phòng Kỹ thuật"}),
                Some(&ent2_admin),
                Some("u5"),
            )
            .await)
        .await;
        bvantq_tests::text(&v, "code").to_string()
    };
    let prov56 = tokens[&Province].clone();
    let ward = tokens[&Ward].clone();
    let school = tokens[&School].clone();
    let org = tokens[&Org].clone();

    let mut own = BTreeMap::new();
    let mut foreign = BTreeMap::new();
    own.insert(
        Ward,
        world(
            app,
            "ward",
            "22759",
            "22759",
            &ward,
            "household",
            "KD-22759-0001",
            "KD-22759-0001",
            "KD-22759-0001",
            ("school_admin", "TH-22759-0001"),
            &prov56,
        )
        .await,
    );
    foreign.insert(
        Ward,
        world(
            app,
            "ward2",
            "22333",
            "22333",
            &ward2,
            "household",
            "KD-22333-0001",
            "KD-22333-0001",
            "KD-22333-0001",
            ("school_admin", &school2),
            &prov56,
        )
        .await,
    );
    own.insert(
        School,
        world(
            app,
            "school",
            "TH-22759-0001",
            "22759",
            &school,
            "student",
            "LH-22759-0001",
            "TH-22759-0001",
            "TH-22759-0001",
            ("school_admin", "TH-22759-0001"),
            &prov56,
        )
        .await,
    );
    foreign.insert(
        School,
        world(
            app,
            "school2",
            &school2,
            "22333",
            &school2_admin,
            "student",
            &class2,
            &school2,
            &school2,
            ("school_admin", &school2),
            &prov56,
        )
        .await,
    );
    own.insert(
        Org,
        world(
            app,
            "org",
            "DN-22759-0001",
            "22759",
            &org,
            "worker",
            "PB-22759-0001",
            "DN-22759-0001",
            "DN-22759-0001",
            ("org_admin", "DN-22759-0001"),
            &prov56,
        )
        .await,
    );
    foreign.insert(
        Org,
        world(
            app,
            "org2",
            &ent2,
            "22333",
            &ent2_admin,
            "worker",
            &dept2,
            &ent2,
            &ent2,
            ("org_admin", &ent2),
            &prov56,
        )
        .await,
    );
    own.insert(
        Province,
        world(
            app,
            "prov",
            "56",
            "22759",
            &prov56,
            "household",
            "KD-22759-0002",
            "22759",
            "22759",
            ("ward_officer", "22759"),
            &prov56,
        )
        .await,
    );
    foreign.insert(
        Province,
        world(
            app,
            "prov75",
            "75",
            "25195",
            &prov75,
            "household",
            &area75,
            "25195",
            "25195",
            ("ward_officer", "25195"),
            &prov75,
        )
        .await,
    );
    own.insert(Role::Admin, own[&Province].clone());
    foreign.insert(Role::Admin, foreign[&Province].clone());
    // The head of a residential area and the commune's leader live in the ward's world: the
    // head's own area is the one the ward prepares; the leader prepares the commune and
    // decides the area.
    tokens.insert(Head, app.login_as(Head, "KD-22759-0001").await);
    tokens.insert(Leader, app.login_as(Leader, "22759").await);
    own.insert(Head, own[&Ward].clone());
    foreign.insert(Head, foreign[&Ward].clone());
    own.insert(
        Leader,
        World {
            assessed: "22759".into(),
            ..own[&Ward].clone()
        },
    );
    foreign.insert(
        Leader,
        World {
            assessed: "22333".into(),
            ..foreign[&Ward].clone()
        },
    );

    // The education department of Khánh Hòa lives in the school's world (schools only); its
    // foreign world is a school of Bình Phước.
    tokens.insert(Edu, app.login_as(Edu, "56").await);
    own.insert(Edu, own[&School].clone());
    foreign.insert(
        Edu,
        world(
            app,
            "school75",
            &school75,
            "25195",
            &school75_admin,
            "student",
            &class75,
            &school75,
            &school75,
            ("school_admin", &school75),
            &prov75,
        )
        .await,
    );
    // The form teacher of Lớp 6A lives in the school's world, on its class; its foreign world is
    // the class of another commune's school.
    tokens.insert(Teacher, app.login_as(Teacher, "LH-22759-0001").await);
    own.insert(
        Teacher,
        World {
            unit: "LH-22759-0001".into(),
            ..own[&School].clone()
        },
    );
    foreign.insert(
        Teacher,
        World {
            unit: class2.clone(),
            ..foreign[&School].clone()
        },
    );

    // Per world: an account to manage, a province template, an assessment file.
    for (worlds, who) in [(&mut own, "own"), (&mut foreign, "foreign")] {
        for (role, w) in worlds.iter_mut() {
            let username = format!("muc-tieu-{}-{who}", role.as_str().replace('_', "-"));
            let body = json!({"username": username, "display_name": "Tài Khoản Mục Tiêu", "password": "mat-khau-muc-tieu-1",
                "role": w.account_role, "scope_unit": w.account_scope});
            let v = ok(app
                .post(
                    "/api/v1/users",
                    &body,
                    Some(&admin),
                    Some(&format!("acct-{username}")),
                )
                .await)
            .await;
            w.account = bvantq_tests::text(&v, "id").to_string();
            w.child_kind = match role {
                Ward => "residential_area",
                School => "class",
                Org => "department",
                _ => "residential_area",
            };
            let province = if w.unit == "75"
                || w.unit == "25195"
                || w.account_scope == "25195"
                || w.commune == "25195"
            {
                "75"
            } else {
                "56"
            };
            let t = json!({"kind": "household", "title_vi": format!("Mẫu {who} {}", role.as_str()), "commitments": [{"vi": "Cam kết"}], "province": province});
            let v = ok(app
                .post(
                    "/api/v1/pledge-templates",
                    &t,
                    Some(&admin),
                    Some(&format!("tpl-{username}")),
                )
                .await)
            .await;
            w.template = bvantq_tests::text(&v, "id").to_string();
            let v = ok(app
                .post(
                    &format!("/api/v1/provinces/{province}/plans"),
                    &plan_body(&format!("Kế hoạch {who} {}", role.as_str())),
                    Some(&admin),
                    Some(&format!("plan-{username}")),
                )
                .await)
            .await;
            w.plan = bvantq_tests::text(&v, "id").to_string();
            // An emulation block of the province, the assessed unit's entry of the year, and
            // an annual report of the commune, made by an administrator.
            let v = ok(app
                .post(
                    &format!("/api/v1/provinces/{province}/emulation-blocks"),
                    &json!({"name": format!("Khối {who} {}", role.as_str())}),
                    Some(&admin),
                    Some(&format!("block-{username}")),
                )
                .await)
            .await;
            w.block = bvantq_tests::text(&v, "id").to_string();
            let r = app
                .post(
                    &format!("/api/v1/units/{}/emulation", w.assessed),
                    &json!({"year": 2026, "block_id": w.block, "aim": "Đơn vị xuất sắc"}),
                    Some(&admin),
                    Some(&format!("emu-{username}")),
                )
                .await;
            // The administrator's worlds are the province's: the entry may exist already.
            let entries = if r.status() == 201 {
                vec![ok(r).await]
            } else {
                let v = ok(app
                    .get(
                        &format!("/api/v1/units/{}/emulation", w.assessed),
                        Some(&admin),
                    )
                    .await)
                .await;
                v.as_array().cloned().or_fail()
            };
            w.emulation = bvantq_tests::text(&entries[0], "id").to_string();
            let v = ok(app
                .post(
                    &format!("/api/v1/units/{}/annual-reports", w.commune),
                    &body_of("POST", "/api/v1/units/{code}/annual-reports", w, 0).or_fail(),
                    Some(&admin),
                    Some(&format!("annual-{username}")),
                )
                .await)
            .await;
            w.annual_report = bvantq_tests::text(&v, "id").to_string();
            // A festival with a photo, where the world has a residential area to hold it.
            let area = &w.campaign_unit;
            if area.starts_with("KD-") {
                use base64::Engine;
                let png = std::fs::read(bvantq_tests::fixture("photo-meta.png")).or_fail();
                let r = app
                    .post(
                        &format!("/api/v1/units/{area}/festivals"),
                        &json!({"held_on": "2026-03-01", "attendance": 10, "photos":
                            [{"data": base64::engine::general_purpose::STANDARD.encode(png)}]}),
                        Some(&admin),
                        Some(&format!("fest-{username}")),
                    )
                    .await;
                let festival = if r.status() == 201 {
                    ok(r).await
                } else {
                    // The administrator's worlds are the province's: it may be recorded already.
                    let v = ok(app
                        .get(
                            &format!("/api/v1/units/{area}/festivals?year=2026"),
                            Some(&admin),
                        )
                        .await)
                    .await;
                    v["lines"]
                        .as_array()
                        .or_fail()
                        .iter()
                        .find(|l| l["unit_code"] == area.as_str())
                        .map(|l| l["festival"].clone())
                        .or_fail()
                };
                w.festival_photo = festival["photo_ids"][0].as_str().or_fail().to_string();
            }
            // A model of the assessed unit (an area, a school, an enterprise, a commune).
            let v = ok(app
                .post(
                    &format!("/api/v1/units/{}/models", w.assessed),
                    &json!({"name": format!("Mô hình {username}"), "kind": "combined",
                        "started_on": "2026-01-05", "members": 12}),
                    Some(&admin),
                    None,
                )
                .await)
            .await;
            w.model = bvantq_tests::text(&v, "id").to_string();
            // A file on the assessment of the unit (a draft saved first), attached by an
            // administrator.
            let _ = ok(app
                .put(
                    &format!("/api/v1/assessments/{}/{PERIOD}", w.assessed),
                    &json!({"answers": {"criteria": {}, "scores": {}}}),
                    &admin,
                )
                .await)
            .await;
            let r = app
                .client
                .post(app.url(&format!(
                    "/api/v1/assessments/{}/{PERIOD}/files?criterion=1&filename=bien-ban.pdf",
                    w.assessed
                )))
                .bearer_auth(&admin)
                .header("Content-Type", "application/pdf")
                .body(b"%PDF-1.4 test".to_vec())
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let v = ok(r).await;
            w.file = bvantq_tests::text(&v, "id").to_string();
        }
    }
    Fixture {
        tokens,
        own,
        foreign,
    }
}

/// The path with its parameters from `w`.
fn path_of(template: &str, on: On, w: &World) -> String {
    let mut p = template.to_string();
    let id = match on {
        On::Pledge => &w.pledge,
        On::Dispute => &w.dispute,
        On::Tip | On::Photo => &w.tip,
        On::AssessmentFile => &w.file,
        On::Account => &w.account,
        On::Template => &w.template,
        On::Plan => &w.plan,
        On::AnnualReport => &w.annual_report,
        On::Emulation => &w.emulation,
        On::FestivalPhoto => &w.festival_photo,
        On::Model => &w.model,
        _ => "",
    };
    let unit = match on {
        On::Reviewed => &w.reviewed,
        _ => &w.assessed,
    };
    p = p.replace(
        "{code}",
        if template.contains("/units/") {
            &w.unit
        } else if template.contains("/provinces/") {
            // Every caller's own province (the matrix's worlds all lie in Khánh Hòa's tree or
            // are read by Khánh Hòa's accounts).
            "56"
        } else {
            &w.campaign
        },
    );
    p = p
        .replace("{photo_id}", &w.photo)
        .replace("{id}", id)
        .replace("{receipt}", &w.receipt);
    p = p
        .replace("{unit}", unit)
        .replace("{period}", &PERIOD.to_string())
        .replace("{year}", &PERIOD.to_string());
    let query = match on {
        On::Unit if !template.contains("{code}") && !template.ends_with("/units") => {
            let year = if template.contains("dashboard") {
                "&period=2026"
            } else if template.contains("coverage") {
                "&year=2026&kind=household"
            } else {
                ""
            };
            format!("?unit={}{year}", w.unit)
        }
        _ => String::new(),
    };
    let query = match template {
        "/api/v1/campaigns/{code}/roster" => format!("?unit={}", w.campaign_unit),
        "/api/v1/assessments/{unit}/{period}/files" => "?criterion=1&filename=x.pdf".into(),
        "/api/v1/coverage/national" => "?year=2026&kind=household".into(),
        _ => query,
    };
    format!("{p}{query}")
}

/// A valid body for the operation, from `w` (so a refusal is about who asks, not what).
fn body_of(method: &str, template: &str, w: &World, n: usize) -> Option<Value> {
    let b = match (method, template) {
        ("POST", "/api/v1/auth/login") => {
            json!({"username": "khong.ai", "password": "sai-mat-khau-1"})
        }
        ("POST", "/api/v1/auth/refresh") | ("POST", "/api/v1/auth/logout") => {
            json!({"refresh_token": "not-a-token"})
        }
        ("POST", "/api/v1/auth/password") => {
            json!({"current_password": "sai-mat-khau", "new_password": "mat-khau-moi-dai-1"})
        }
        ("POST", "/api/v1/units") => {
            json!({"parent_code": w.unit, "kind": w.child_kind, "name": format!("Đơn vị {n}")})
        }
        ("POST", "/api/v1/users") => {
            json!({"username": format!("moi-{n}"), "display_name": "Cán Bộ Mới", "password": "mat-khau-moi-dai-1",
            "role": w.account_role, "scope_unit": w.account_scope})
        }
        ("PUT", "/api/v1/users/{id}/active") => json!({"active": true}),
        ("PUT", "/api/v1/users/{id}/password") => json!({"password": "mat-khau-moi-dai-2"}),
        ("POST", "/api/v1/pledge-templates") => {
            json!({"kind": "household", "title_vi": "Mẫu", "commitments": [{"vi": "Một"}],
            "province": if w.unit == "75" || w.account_scope == "25195" { "75" } else { "56" }})
        }
        ("PUT", "/api/v1/provinces/{code}/calendar") => {
            json!(bvantq_shared::plan::calendar::CalendarSettings::default())
        }
        ("POST", "/api/v1/provinces/{code}/plans") | ("PUT", "/api/v1/plans/{id}") => {
            plan_body("Kế hoạch 2026–2030")
        }
        ("PUT", "/api/v1/plans/{id}/figures") => {
            json!({"seq": 0, "unit": w.unit, "period": 2027, "value": 1})
        }
        ("POST", "/api/v1/units/{code}/annual-reports") => json!({"year": 2026, "figures": [
            {"figure": "people_of_standing", "value": 1}, {"figure": "reintegrated", "value": 0},
            {"figure": "weapons_handed_in", "value": 0}, {"figure": "surrenders", "value": 0}]}),
        ("POST", "/api/v1/units/{code}/models") | ("PUT", "/api/v1/models/{id}") => {
            json!({"name": format!("Mô hình {n}"), "kind": "self_prevention",
                "started_on": "2026-01-05", "members": 5})
        }
        ("PUT", "/api/v1/models/{id}/ratings/{year}") => json!({"rating": "effective"}),
        ("PUT", "/api/v1/units/{code}/registrations/{year}") => {
            json!({"registered_on": "2026-02-20", "document": "05-NQ/CB"})
        }
        ("PUT", "/api/v1/units/{code}/eligibility") => json!({"exclusion": null}),
        ("PUT", "/api/v1/units/{code}/subunit-titles/{year}") => json!({"subunits": 10,
            "titled": 7, "titles": "Tập thể lao động tiên tiến", "document": "15/QĐ-HĐTĐKT"}),
        ("PUT", "/api/v1/units/{code}/security-team/ratings/{year}") => json!({"rating": "good"}),
        ("PUT", "/api/v1/units/{code}/security-team") => json!({"founded_on": "2026-01-05",
            "decision_number": "1/QĐ-UBND", "members": [{"name": "Nguyễn Văn An", "position": "leader"}]}),
        ("POST", "/api/v1/units/{code}/festivals") => {
            json!({"held_on": "2026-03-01", "attendance": 10})
        }
        ("POST", "/api/v1/provinces/{code}/emulation-blocks") => {
            json!({"name": format!("Khối thi đua {n}")})
        }
        ("POST", "/api/v1/units/{code}/emulation") => {
            json!({"year": 2026, "block_id": w.block, "aim": "Đơn vị xuất sắc"})
        }
        ("POST", "/api/v1/emulation/{id}/review") => {
            json!({"summary": "Kiểm tra quyền", "aim_reached": true})
        }
        ("POST", "/api/v1/emulation/{id}/proposal") => {
            json!({"award": "province_certificate", "reason": "Kiểm tra quyền"})
        }
        ("POST", "/api/v1/emulation/{id}/decision") => json!({"awarded": true,
            "number": "1/QĐ-UBND", "date": "2026-03-01", "signer": "Chủ tịch UBND tỉnh"}),
        ("PUT", "/api/v1/pledge-templates/{id}") => {
            json!({"kind": "household", "title_vi": "Mẫu sửa", "commitments": [{"vi": "Một"}]})
        }
        ("POST", "/api/v1/campaigns") => {
            json!({"kind": kind_of(w), "year": 2026, "title": "Đợt mới", "template_id": w.national,
            "opens_on": "2026-03-01", "closes_on": "2026-12-31", "units": [w.campaign_unit]})
        }
        ("POST", "/api/v1/campaigns/{code}/pledges")
        | ("POST", "/api/v1/campaigns/{code}/paper-pledges")
        | ("POST", "/api/v1/campaigns/{code}/pledges/contest") => match kind_of(w) {
            "household" => household(
                &format!("Người Thứ {}", name_of(n)),
                &w.campaign_unit,
                &format!("0560800{:05}", 50000 + n),
                w.commitments,
            ),
            k => person(
                k,
                &format!("Người Thứ {}", name_of(n)),
                &w.campaign_unit,
                &format!("0560800{:05}", 60000 + n),
                w.commitments,
            ),
        },
        ("PUT", "/api/v1/campaigns/{code}/expected") => {
            json!({"unit_code": w.campaign_unit, "expected": 30})
        }
        ("PUT", "/api/v1/campaigns/{code}/window") => {
            json!({"opens_on": "2026-03-01", "closes_on": "2026-12-31"})
        }
        ("POST", "/api/v1/pledges/{id}/verify") => json!({}),
        ("POST", "/api/v1/pledges/{id}/void") => json!({"reason": "Kiểm tra quyền"}),
        ("POST", "/api/v1/pledge-disputes/{id}/resolve") => {
            json!({"keep": "original", "reason": "Kiểm tra quyền"})
        }
        ("POST", "/api/v1/tips") => {
            json!({"category": "drugs", "commune_code": "22759", "description": "Tin báo kiểm tra quyền."})
        }
        ("POST", "/api/v1/tips/follow-up") => json!({"receipt_code": "ABCD-EFGH-JKMN-PQRS-TUVW"}),
        ("POST", "/api/v1/tips/follow-up/messages") => {
            json!({"receipt_code": "ABCD-EFGH-JKMN-PQRS-TUVW", "body": "Thêm"})
        }
        ("POST", "/api/v1/tips/{id}/steps") => {
            json!({"step": "check", "reason": "Kiểm tra quyền"})
        }
        ("PUT", "/api/v1/provinces/{code}/procedure") => json!({
            "settings": bvantq_shared::tip::procedure::ProcedureSettings::default(),
            "holidays": [{"date": "2027-02-08", "name": "Tết Nguyên đán"}]
        }),
        ("POST", "/api/v1/tips/{id}/transition") => {
            json!({"to": "verifying", "reason": "Kiểm tra quyền"})
        }
        ("POST", "/api/v1/tips/{id}/assign") => {
            json!({"user_id": null, "reason": "Kiểm tra quyền"})
        }
        ("POST", "/api/v1/tips/{id}/priority") => {
            json!({"priority": "normal", "reason": "Kiểm tra quyền"})
        }
        ("POST", "/api/v1/tips/{id}/extend") => json!({"reason": "Kiểm tra quyền"}),
        ("POST", "/api/v1/tips/{id}/messages") | ("POST", "/api/v1/tips/{id}/notes") => {
            json!({"body": "Kiểm tra quyền"})
        }
        ("POST", "/api/v1/criteria-sets") => json!({"base": "tt124-commune-v1"}),
        ("POST", "/api/v1/units/{code}/briefings") => {
            json!({"held_on": "2026-02-01", "topic": "Quán triệt nội quy", "attendance": 10,
                "headcount": 10})
        }
        ("POST", "/api/v1/units/{code}/incidents") => {
            json!({"kind": "fire", "occurred_at": "2026-02-01T10:00:00+07:00",
                "reported_at": "2026-02-01T10:30:00+07:00", "force_majeure": true,
                "description": "Cháy do sét đánh"})
        }
        ("PUT", "/api/v1/assessments/{unit}/{period}") => {
            json!({"answers": {"criteria": {}, "scores": {}}})
        }
        ("POST", "/api/v1/assessments/{unit}/{period}/return") => json!({"comment": "Bổ sung"}),
        ("POST", _) => json!({}),
        _ => return None,
    };
    Some(b)
}

fn kind_of(w: &World) -> &'static str {
    match w.child_kind {
        "class" => "student",
        "department" => "worker",
        _ => "household",
    }
}

fn name_of(n: usize) -> String {
    const W: [&str; 10] = [
        "Không", "Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín",
    ];
    n.to_string()
        .chars()
        .map(|c| W[c.to_digit(10).unwrap_or(0) as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    n: usize,
) -> u16 {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut r = app
        .client
        .request(m, app.url(path))
        .header("Idempotency-Key", format!("authz-{n}"));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    r = match (path.contains("/roster"), path.contains("/files?"), body) {
        (true, _, _) => r
            .header("Content-Type", "text/csv")
            .body("ho_ten,ngay_sinh\nNguyễn Văn Kiểm,2011-01-01\n"),
        (_, true, _) => r
            .header("Content-Type", "application/pdf")
            .body(b"%PDF-1.4 x".to_vec()),
        (_, _, Some(b)) => r.json(&b),
        _ => r,
    };
    r.send().await.map(|r| r.status().as_u16()).unwrap_or(0)
}

fn allowed(s: u16) -> bool {
    (200..300).contains(&s) || matches!(s, 409 | 422 | 429)
}

fn denied(s: u16) -> bool {
    matches!(s, 403 | 404)
}

async fn every_route_answers_every_role_as_documented(app: TestApp) {
    // Every operation of the route table has its row, and every row an operation.
    let doc: Value = serde_json::from_str(
        &bvantq_api::app::openapi::openapi()
            .to_json()
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut routes = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().into_iter().flatten() {
        for method in ops
            .as_object()
            .into_iter()
            .flatten()
            .map(|(m, _)| m.to_uppercase())
        {
            routes.insert((method, path.clone()));
        }
    }
    let rows: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|(m, p, _, _)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = routes.difference(&rows).collect();
    assert!(
        missing.is_empty(),
        "operations without a row in the authorisation matrix: {missing:?}"
    );
    let stale: Vec<_> = rows.difference(&routes).collect();
    assert!(
        stale.is_empty(),
        "rows for operations that do not exist: {stale:?}"
    );

    let f = fixture(&app).await;
    let mut failures = Vec::new();
    let mut n = 0;
    for &(method, template, rule, on) in MATRIX {
        // No account.
        n += 1;
        let w = &f.own[&Ward];
        let s = call(
            &app,
            method,
            &path_of(template, on, w),
            None,
            body_of(method, template, w, n),
            n,
        )
        .await;
        let ok = match rule {
            Rule::Public => allowed(s),
            Rule::Credentials => allowed(s) || matches!(s, 401 | 404),
            Rule::Operator => s == 404,
            _ => s == 401,
        };
        if !ok {
            failures.push(format!("{method} {template} without an account: {s}"));
        }
        for (&role, token) in &f.tokens {
            for (which, w) in [("own", &f.own[&role]), ("foreign", &f.foreign[&role])] {
                n += 1;
                let path = path_of(template, on, w);
                let s = call(
                    &app,
                    method,
                    &path,
                    Some(token),
                    body_of(method, template, w, n),
                    n,
                )
                .await;
                let want_allowed = match rule {
                    Rule::Public | Rule::Session | Rule::Credentials => true,
                    Rule::Operator => false,
                    Rule::Scoped(roles) => {
                        (role == Role::Admin || roles.contains(&role))
                            && (which == "own" || role == Role::Admin || matches!(on, On::Nothing))
                    }
                };
                let ok = match (rule, want_allowed) {
                    (Rule::Operator, _) => s == 404,
                    (Rule::Credentials, _) => allowed(s) || matches!(s, 401 | 404),
                    (_, true) => allowed(s),
                    (_, false) => denied(s),
                };
                if !ok {
                    failures.push(format!(
                        "{method} {path} as {role} ({which}): {s}, expected {}",
                        if want_allowed { "allowed" } else { "403/404" }
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} answers differ from the matrix:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Limits out of the way: the matrix makes hundreds of requests from one address.
fn roomy(c: &mut bvantq_api::infra::config::Config) {
    c.login_per_ip_per_minute = 10_000;
    c.tips_per_ip_per_hour = 10_000;
    c.signings_per_ip_per_hour = 10_000;
    c.signings_per_campaign_per_hour = 100_000;
    c.tip_failures_per_ip = 10_000;
    c.tip_failures_global = 100_000;
}

both!(roomy => every_route_answers_every_role_as_documented);
