//! `/to-giac` drawn on the server: the tip form, posted without script (`multipart/form-data`,
//! photos as files), and the receipt with its code shown once. Markup mirrors
//! `web-form/src/tip_form.rs`; what needs a script there (the phone's location, keeping a tip on
//! the phone, the commune list filtered as one types) is drawn here as plain fields: the commune
//! is a province and a typed name, narrowed to a list by the server when several match.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use bvantq_shared::api::UnitDto;
use bvantq_shared::i18n::Msg;
use bvantq_shared::text::{fold, match_tier};
use bvantq_shared::tip::indicator::{IndicatorKind, IndicatorRequest};
use bvantq_shared::tip::{ContactRequest, PhotoUpload, TipReceipt, TipRequest, VN_OFFSET_HOURS};
use bvantq_shared::{TipCategory, UnitKind};

use super::page::{
    Errors, Filled, Refusal, Values, error_page, form_idempotency, from_local, language, new_key,
};
use super::posted::Posted;
use super::tip_page::{Form, receipt_page};
use crate::app::state::Site;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::tips::routes::TIP_BODY_LIMIT;
use crate::tips::routes::reporter::{charge_submission, submit_tip};
use crate::tips::state::TipsState;
use crate::units::service::{ListRequest, Listing, list as list_units};

const FIELDS: &[&str] = &[
    "category",
    "description",
    "province",
    "commune_q",
    "commune_code",
    "place",
    "incident_at",
    "contact_name",
    "contact_phone",
];

/// Rows of fraud indicators the page offers (the wasm adds rows one by one; here a few are
/// there from the start).
pub(super) const INDICATOR_ROWS: usize = 3;

/// The names of the indicator rows' fields.
fn indicator_fields() -> Vec<&'static str> {
    const NAMES: [[&str; 3]; INDICATOR_ROWS] = [
        ["indicator_kind_0", "indicator_value_0", "indicator_note_0"],
        ["indicator_kind_1", "indicator_value_1", "indicator_note_1"],
        ["indicator_kind_2", "indicator_value_2", "indicator_note_2"],
    ];
    NAMES.iter().flatten().copied().collect()
}

/// The parser names a contact's fields `contact.name` and `contact.phone`; the page's inputs are
/// `contact_name` and `contact_phone` (as the wasm's ids).
fn on_inputs(mut errors: Errors) -> Errors {
    for (from, to) in [
        ("contact.name", "contact_name"),
        ("contact.phone", "contact_phone"),
    ] {
        if let Some(m) = errors.remove(from) {
            errors.insert(to.into(), m);
        }
    }
    errors
}

/// The units of a listing (provinces, or a province's communes matching a name).
async fn units(state: &Core, r: ListRequest) -> Result<Vec<UnitDto>, ApiError> {
    let listing = Listing::parse(ListRequest {
        limit: Some(1000),
        ..r
    })?;
    let today = state.now().date();
    Ok(state
        .db(move |conn| list_units(conn, &listing, today))
        .await?
        .items)
}

async fn provinces(state: &Core) -> Result<Vec<UnitDto>, ApiError> {
    units(
        state,
        ListRequest {
            kind: Some(UnitKind::Province.as_str().into()),
            ..ListRequest::default()
        },
    )
    .await
}

/// `GET /to-giac`: the form, empty.
pub async fn show(req: HttpRequest, state: Data<Core>, site: Data<Site>) -> HttpResponse {
    let (lang, remember) = language(&req, None);
    let path = req.path().to_string();
    let provinces = match provinces(&state).await {
        Ok(p) => p,
        Err(e) => return error_page(&e, &req, lang, &path, &site),
    };
    let form = Form {
        provinces: &provinces,
        communes: &[],
        key: &new_key(),
        photos: &[],
        ticks: Ticks::default(),
    };
    let f = Filled {
        lang,
        values: &Values::new(),
        errors: &Errors::new(),
    };
    form.page(&f, &path, StatusCode::OK, None, remember)
        .respond(&req, &site)
}

/// The commune a reporter named: the one chosen from the list, else the one commune of the
/// province whose name is the name typed (or the only one matching it); else the communes to
/// choose from, and why.
async fn commune(
    state: &Core,
    v: &Values,
) -> Result<Result<String, (Vec<UnitDto>, Msg)>, ApiError> {
    let get = |k: &str| v.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    if let Some(code) = get("commune_code") {
        return Ok(Ok(code.to_string()));
    }
    let Some(province) = get("province") else {
        return Ok(Err((Vec::new(), Msg::CommunePickProvince)));
    };
    let typed = get("commune_q");
    let found = units(
        state,
        ListRequest {
            parent: Some(province.to_string()),
            kind: Some(UnitKind::Commune.as_str().into()),
            q: typed.map(str::to_string),
            ..ListRequest::default()
        },
    )
    .await?;
    let needle = typed.map(fold);
    let exact: Vec<&UnitDto> = found
        .iter()
        .filter(|u| needle.as_deref().and_then(|n| match_tier(&u.name_ascii, n)) == Some(0))
        .collect();
    let only: Option<&UnitDto> = match (exact.as_slice(), found.as_slice()) {
        ([one], _) => Some(*one),
        ([], [one]) => Some(one),
        _ => None,
    };
    match (only, found.as_slice()) {
        (Some(one), _) if typed.is_some() => Ok(Ok(one.code.clone())),
        (_, []) => Ok(Err((Vec::new(), Msg::CommuneNoMatch))),
        _ => Ok(Err((found, Msg::CommuneChooseFromList))),
    }
}

/// What the reporter ticked.
#[derive(Default, Clone, Copy)]
pub(super) struct Ticks {
    pub danger: bool,
    pub contact: bool,
}

/// `POST /to-giac`: the tip, as the API takes it; the form again (every value and photo kept) on
/// a refusal, the receipt when received.
pub async fn take(
    req: HttpRequest,
    state: Data<Core>,
    limits: Data<TipsState>,
    site: Data<Site>,
    payload: Payload,
) -> HttpResponse {
    let path = req.path().to_string();
    if let Err(e) = charge_submission(&state, &limits, &req).await {
        return error_page(&e, &req, language(&req, None).0, &path, &site);
    }
    let (posted, lang) = match Posted::read_form(&req, payload, TIP_BODY_LIMIT, &path, &site).await
    {
        Ok(read) => read,
        Err(page) => return page,
    };
    let mut values = posted.values(FIELDS);
    values.extend(posted.values(&indicator_fields()));
    let ticks = Ticks {
        danger: posted.checked("danger"),
        contact: posted.checked("leave_contact"),
    };
    let photos = photos_of(&posted);
    let chosen = commune(&state, &values).await;
    let (code, communes, commune_msg) = match chosen {
        Ok(Ok(code)) => (code, Vec::new(), None),
        Ok(Err((list, why))) => (String::new(), list, Some(why)),
        Err(e) => return error_page(&e, &req, lang, &path, &site),
    };
    if !code.is_empty() {
        values.insert("commune_code".into(), code.clone());
    }
    let input = request(&posted, &values, ticks, &code, &photos);
    let key = posted.get("idempotency_key").unwrap_or("");
    let outcome = match commune_msg {
        // The commune is still to be chosen: the other fields are checked now, so the person
        // corrects everything at once, and nothing is sent yet.
        Some(why) => {
            let now = state.now() + chrono::TimeDelta::hours(VN_OFFSET_HOURS);
            let mut errors = input
                .parse(now)
                .err()
                .map_or_else(Errors::new, |e| from_local(&e));
            errors.insert("commune_code".into(), (why.vi().into(), why.en().into()));
            Err(Refusal {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                retry_after: None,
                errors,
            })
        }
        None => match form_idempotency("page /to-giac", key, &input, &state) {
            Ok(idem) => submit_tip(&state, &limits, &input, idem)
                .await
                .and_then(|a| {
                    serde_json::from_value::<TipReceipt>(a.body).map_err(ApiError::internal)
                })
                .map_err(|e| Refusal::from(&e)),
            Err(e) => Err(Refusal::from(&e)),
        },
    };
    match outcome {
        Ok(r) => receipt_page(lang, &path, &r).respond(&req, &site),
        Err(refusal) => {
            let provinces = match provinces(&state).await {
                Ok(p) => p,
                Err(e) => return error_page(&e, &req, lang, &path, &site),
            };
            // A photo the server refused is not carried again (its message says why).
            let kept: Vec<String> = photos
                .into_iter()
                .enumerate()
                .filter(|(i, _)| !refusal.errors.contains_key(&format!("photos.{i}")))
                .map(|(_, p)| p.data)
                .collect();
            let key = if key.is_empty() {
                new_key()
            } else {
                key.to_string()
            };
            let form = Form {
                provinces: &provinces,
                communes: &communes,
                key: &key,
                photos: &kept,
                ticks,
            };
            let errors = on_inputs(refusal.errors);
            let f = Filled {
                lang,
                values: &values,
                errors: &errors,
            };
            form.page(&f, &path, refusal.status, refusal.retry_after, false)
                .respond(&req, &site)
        }
    }
}

/// The photos of the post: files chosen now, and those a refused post carried back (as data
/// URLs). More than the cap is left to the parser, which names the field.
fn photos_of(posted: &Posted) -> Vec<PhotoUpload> {
    let mut out: Vec<PhotoUpload> = posted
        .all("kept_photo")
        .filter(|d| !d.is_empty())
        .map(|d| PhotoUpload {
            data: d.to_string(),
        })
        .collect();
    out.extend(posted.photos("photos"));
    out
}

/// The request the filled form makes, as the wasm's `onsubmit` builds it.
fn request(
    posted: &Posted,
    v: &Values,
    ticks: Ticks,
    commune: &str,
    photos: &[PhotoUpload],
) -> TipRequest {
    let opt = |k: &str| v.get(k).filter(|s| !s.trim().is_empty()).cloned();
    let category = v.get("category").map_or("", String::as_str).to_string();
    // Only a fraud tip carries indicators; blank rows go.
    let indicators = if category == TipCategory::Fraud.as_str() {
        (0..INDICATOR_ROWS)
            .filter_map(|i| {
                let value = posted.get(&format!("indicator_value_{i}"))?.trim();
                (!value.is_empty()).then(|| IndicatorRequest {
                    kind: posted
                        .get(&format!("indicator_kind_{i}"))
                        .map_or_else(|| IndicatorKind::Phone.as_str().into(), str::to_string),
                    value: value.to_string(),
                    note: posted
                        .get(&format!("indicator_note_{i}"))
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    TipRequest {
        category,
        description: v.get("description").map_or("", String::as_str).to_string(),
        commune_code: commune.to_string(),
        place: opt("place"),
        latitude: None,
        longitude: None,
        incident_at: opt("incident_at"),
        danger_to_life: ticks.danger,
        anonymous: !ticks.contact,
        contact: ticks.contact.then(|| ContactRequest {
            name: opt("contact_name"),
            phone: opt("contact_phone"),
        }),
        photos: photos.to_vec(),
        indicators,
    }
}
