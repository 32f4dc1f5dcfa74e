//! `/units/{code}/registrations`, `/units/{code}/eligibility`, `/units/{code}/models`,
//! `/models/{id}`, `/units/{code}/security-team(s)`, `/units/{code}/incidents`,
//! `/units/{code}/briefings`, `/units/{code}/subunit-titles/{year}`: the records a commune and its units keep through the year;
//! `/provinces/{code}/schools`: the schools of a province, for its education department.

use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post, put};
use bvantq_shared::briefing::{Briefing, BriefingBoard, BriefingRequest};
use bvantq_shared::error::Problem;
use bvantq_shared::incident::{Incident, IncidentBoard, IncidentRequest};
use bvantq_shared::records::{
    Model, ModelBoard, ModelRequest, RatingRequest, Team, TeamBoard, TeamRequest,
};
use bvantq_shared::registration::{
    EligibilityRequest, Registration, RegistrationBoard, RegistrationLine, RegistrationRequest,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::request::{parse_json, year_or_this};
use crate::records::{briefings, incidents, registrations, schools, service, titles};
use bvantq_shared::UnitKind;
use bvantq_shared::education::SchoolBoard;
use bvantq_shared::tip::vn_date;
use bvantq_shared::titles::{SubunitTitles, SubunitTitlesRequest, TitlesStatus};

#[derive(Debug, Deserialize, IntoParams)]
pub struct YearParams {
    /// The year (default: this year).
    year: Option<i32>,
}

/// Adds a self-managed model (mô hình tự phòng, tự quản, tự bảo vệ) to a commune, residential
/// area, agency, enterprise or school.
#[utoipa::path(operation_id = "add_model", tag = "records", security(("bearer" = [])), params(("code" = String, Path)),
    request_body = ModelRequest,
    responses((status = 201, body = Model), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/units/{code}/models")]
pub async fn add_model(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: ModelRequest = parse_json(&body)?;
    let (now, code) = (state.now(), code.into_inner());
    let out = state
        .db_write(move |conn| service::add_model(conn, &user, &code, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Rewrites a model as it now stands; a retired model keeps its day of retirement and history.
#[utoipa::path(operation_id = "edit_model", tag = "records", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = ModelRequest,
    responses((status = 200, body = Model), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/models/{id}")]
pub async fn edit_model(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<Model>, ApiError> {
    let input: ModelRequest = parse_json(&body)?;
    let (now, id) = (state.now(), id.into_inner());
    state
        .db_write(move |conn| service::edit_model(conn, &user, &id, &input, now))
        .await
        .map(Json)
}

/// Records a model's review of a year (a second review of the same year replaces the first).
#[utoipa::path(operation_id = "rate_model", tag = "records", security(("bearer" = [])), params(("id" = String, Path), ("year" = i32, Path)),
    request_body = RatingRequest,
    responses((status = 200, body = Model), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/models/{id}/ratings/{year}")]
pub async fn rate_model(
    state: Data<Core>,
    user: AuthUser,
    path: Path<(String, i32)>,
    body: Bytes,
) -> Result<Json<Model>, ApiError> {
    let input: RatingRequest = parse_json(&body)?;
    let (now, (id, year)) = (state.now(), path.into_inner());
    state
        .db_write(move |conn| service::rate_model(conn, &user, &id, year, &input, now))
        .await
        .map(Json)
}

/// The units of a commune that keep models, each with its models, their review of the year and
/// whether it counts towards the plan's target.
#[utoipa::path(operation_id = "model_board", tag = "records", security(("bearer" = [])), params(("code" = String, Path), YearParams),
    responses((status = 200, body = ModelBoard), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/{code}/models")]
pub async fn model_board(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    params: Query<YearParams>,
) -> Result<Json<ModelBoard>, ApiError> {
    let now = state.now();
    let year = year_or_this(params.year, now);
    let code = code.into_inner();
    state
        .db(move |conn| service::model_board(conn, &user, &code, year, now))
        .await
        .map(Json)
}

/// Sets a residential area's security team (Tổ bảo vệ an ninh, trật tự) as established, with
/// its members; the list replaces the last one.
#[utoipa::path(operation_id = "put_security_team", tag = "records", security(("bearer" = [])), params(("code" = String, Path)),
    request_body = TeamRequest,
    responses((status = 200, body = Team), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/units/{code}/security-team")]
pub async fn put_team(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<Json<Team>, ApiError> {
    let input: TeamRequest = parse_json(&body)?;
    let (now, code) = (state.now(), code.into_inner());
    state
        .db_write(move |conn| service::put_team(conn, &user, &code, &input, now))
        .await
        .map(Json)
}

/// Records a team's review of a year (a second review of the same year replaces the first).
#[utoipa::path(operation_id = "rate_security_team", tag = "records", security(("bearer" = [])), params(("code" = String, Path), ("year" = i32, Path)),
    request_body = RatingRequest,
    responses((status = 200, body = Team), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/units/{code}/security-team/ratings/{year}")]
pub async fn rate_team(
    state: Data<Core>,
    user: AuthUser,
    path: Path<(String, i32)>,
    body: Bytes,
) -> Result<Json<Team>, ApiError> {
    let input: RatingRequest = parse_json(&body)?;
    let (now, (code, year)) = (state.now(), path.into_inner());
    state
        .db_write(move |conn| service::rate_team(conn, &user, &code, year, &input, now))
        .await
        .map(Json)
}

/// The residential areas of a commune and their security teams, with the share that counts.
#[utoipa::path(operation_id = "security_team_board", tag = "records", security(("bearer" = [])), params(("code" = String, Path), YearParams),
    responses((status = 200, body = TeamBoard), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/{code}/security-teams")]
pub async fn team_board(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    params: Query<YearParams>,
) -> Result<Json<TeamBoard>, ApiError> {
    let now = state.now();
    let year = year_or_this(params.year, now);
    let code = code.into_inner();
    state
        .db(move |conn| service::team_board(conn, &user, &code, year, now))
        .await
        .map(Json)
}

/// Records a unit's registration to strive for the standard «An toàn về an ninh, trật tự» in a
/// year (TT 124 arts. 4.1, 9.2.a: in quarter I); a second one of the same year replaces it.
#[utoipa::path(operation_id = "put_registration", tag = "records", security(("bearer" = [])), params(("code" = String, Path), ("year" = i32, Path)),
    request_body = RegistrationRequest,
    responses((status = 200, body = Registration), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/units/{code}/registrations/{year}")]
pub async fn put_registration(
    state: Data<Core>,
    user: AuthUser,
    path: Path<(String, i32)>,
    body: Bytes,
) -> Result<Json<Registration>, ApiError> {
    let input: RegistrationRequest = parse_json(&body)?;
    let (now, (code, year)) = (state.now(), path.into_inner());
    state
        .db_write(move |conn| {
            registrations::put_registration(conn, &user, &code, year, &input, now)
        })
        .await
        .map(Json)
}

/// Says why an agency, enterprise or school is outside Thông tư 124 (art. 1.2.b: armed forces,
/// small and micro enterprises, primary and pre-schools), or `null` to count it again.
#[utoipa::path(operation_id = "put_eligibility", tag = "records", security(("bearer" = [])), params(("code" = String, Path)),
    request_body = EligibilityRequest,
    responses((status = 200, body = RegistrationLine), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/units/{code}/eligibility")]
pub async fn put_eligibility(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<Json<RegistrationLine>, ApiError> {
    let input: EligibilityRequest = parse_json(&body)?;
    let (now, code) = (state.now(), code.into_inner());
    state
        .db_write(move |conn| registrations::put_eligibility(conn, &user, &code, &input, now))
        .await
        .map(Json)
}

/// A commune's registrations of a year: its own, each residential area's, agency's,
/// enterprise's and school's (who has not registered), and the rule of art. 5.4 over them.
#[utoipa::path(operation_id = "registration_board", tag = "records", security(("bearer" = [])), params(("code" = String, Path), YearParams),
    responses((status = 200, body = RegistrationBoard), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/{code}/registrations")]
pub async fn registration_board(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    params: Query<YearParams>,
) -> Result<Json<RegistrationBoard>, ApiError> {
    let now = state.now();
    let year = year_or_this(params.year, now);
    let code = code.into_inner();
    state
        .db(move |conn| registrations::board(conn, &user, &code, year, now))
        .await
        .map(Json)
}

/// Records an event of criterion 4 in a commune or a unit of it (TT 124 art. 4.4: a serious
/// crime, a new social evil, a fire, an explosion, a fatal work accident or another serious
/// incident), with when it happened and was reported and whether it was force majeure.
#[utoipa::path(operation_id = "add_incident", tag = "records", security(("bearer" = [])), params(("code" = String, Path)),
    request_body = IncidentRequest,
    responses((status = 201, body = Incident), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/units/{code}/incidents")]
pub async fn add_incident(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: IncidentRequest = parse_json(&body)?;
    let (now, code) = (state.now(), code.into_inner());
    let i = state
        .db_write(move |conn| incidents::add(conn, &user, &code, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(i))
}

/// The events of criterion 4 in a unit's assessment period of a year (a commune's own and its
/// units'), each with whether the force-majeure exception of art. 4.4 excuses it.
#[utoipa::path(operation_id = "incident_board", tag = "records", security(("bearer" = [])), params(("code" = String, Path), YearParams),
    responses((status = 200, body = IncidentBoard), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/{code}/incidents")]
pub async fn incident_board(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    params: Query<YearParams>,
) -> Result<Json<IncidentBoard>, ApiError> {
    let now = state.now();
    let year = year_or_this(params.year, now);
    let code = code.into_inner();
    state
        .db(move |conn| incidents::board(conn, &user, &code, year))
        .await
        .map(Json)
}

/// Records a briefing or training (quán triệt) held for an agency, enterprise or school, or for
/// one of its classes or departments (TT 124 arts. 6.1, 7.1), with attendance against headcount;
/// a school's flag-ceremony briefing says so.
#[utoipa::path(operation_id = "add_briefing", tag = "records", security(("bearer" = [])), params(("code" = String, Path)),
    request_body = BriefingRequest,
    responses((status = 201, body = Briefing), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/units/{code}/briefings")]
pub async fn add_briefing(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: BriefingRequest = parse_json(&body)?;
    let (now, code) = (state.now(), code.into_inner());
    let b = state
        .db_write(move |conn| briefings::add(conn, &user, &code, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(b))
}

/// An agency's, enterprise's or school's briefings in its assessment period of a year and how
/// far they reached its people (100% asked by arts. 6.1, 7.1).
#[utoipa::path(operation_id = "briefing_board", tag = "records", security(("bearer" = [])), params(("code" = String, Path), YearParams),
    responses((status = 200, body = BriefingBoard), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/{code}/briefings")]
pub async fn briefing_board(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    params: Query<YearParams>,
) -> Result<Json<BriefingBoard>, ApiError> {
    let now = state.now();
    let year = year_or_this(params.year, now);
    let code = code.into_inner();
    state
        .db(move |conn| briefings::board(conn, &user, &code, year))
        .await
        .map(Json)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SchoolParams {
    /// The year the assessment period ends in (default: the period today falls in).
    year: Option<i32>,
}

/// The schools of a province for its education department (Sở Giáo dục và Đào tạo) and its
/// officers: each school's pupils' pledge coverage, registration, assessment, briefings and
/// models, with the province's totals over the schools the Thông tư applies to.
#[utoipa::path(operation_id = "school_board", tag = "records", security(("bearer" = [])), params(("code" = String, Path), SchoolParams),
    responses((status = 200, body = SchoolBoard), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/provinces/{code}/schools")]
pub async fn school_board(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    params: Query<SchoolParams>,
) -> Result<Json<SchoolBoard>, ApiError> {
    let now = state.now();
    let year = match params.into_inner().year {
        Some(y) => y,
        None => bvantq_shared::assessment::period_of(UnitKind::School, vn_date(now))
            .map(|p| p.year)
            .ok_or_else(|| ApiError::internal("no period for today"))?,
    };
    let code = code.into_inner();
    state
        .db(move |conn| schools::board(conn, &user, &code, year, now))
        .await
        .map(Json)
}

/// An agency's, enterprise's or school's own account declares its sub-units' emulation titles of
/// a year (TT 124 arts. 6.5, 7.6: at least 70% titled); a second declaration replaces the first.
#[utoipa::path(operation_id = "put_subunit_titles", tag = "records", security(("bearer" = [])), params(("code" = String, Path), ("year" = i32, Path)),
    request_body = SubunitTitlesRequest,
    responses((status = 200, body = SubunitTitles), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/units/{code}/subunit-titles/{year}")]
pub async fn put_subunit_titles(
    state: Data<Core>,
    user: AuthUser,
    path: Path<(String, i32)>,
    body: Bytes,
) -> Result<Json<SubunitTitles>, ApiError> {
    let input: SubunitTitlesRequest = parse_json(&body)?;
    let (now, (code, year)) = (state.now(), path.into_inner());
    state
        .db_write(move |conn| titles::put_titles(conn, &user, &code, year, &input, now))
        .await
        .map(Json)
}

/// A unit's declaration of its sub-units' emulation titles of a year, with the share against
/// what its criteria set asks.
#[utoipa::path(operation_id = "get_subunit_titles", tag = "records", security(("bearer" = [])), params(("code" = String, Path), ("year" = i32, Path)),
    responses((status = 200, body = TitlesStatus), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/{code}/subunit-titles/{year}")]
pub async fn get_subunit_titles(
    state: Data<Core>,
    user: AuthUser,
    path: Path<(String, i32)>,
) -> Result<Json<TitlesStatus>, ApiError> {
    let (code, year) = path.into_inner();
    state
        .db(move |conn| titles::get_titles(conn, &user, &code, year))
        .await
        .map(Json)
}
