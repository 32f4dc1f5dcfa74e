//! `/to-giac` drawn on the server: the tip form, posted without script (`multipart/form-data`,
//! photos as files), and the receipt with its code shown once. Markup mirrors
//! `web-form/src/tip_form.rs`; what needs a script there (the phone's location, keeping a tip on
//! the phone, the commune list filtered as one types) is drawn here as plain fields: the commune
//! is a province and a typed name, narrowed to a list by the server when several match.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use bvantq_shared::api::{UnitDto, UnitPage};
use bvantq_shared::i18n::{Lang, Msg, t};
use bvantq_shared::text::{fold, match_tier};
use bvantq_shared::tip::indicator::{IndicatorKind, IndicatorRequest};
use bvantq_shared::tip::{
    ContactRequest, MAX_PHOTOS, PHOTO_MAX_BYTES, PhotoUpload, TipReceipt, TipRequest,
    VN_OFFSET_HOURS,
};
use bvantq_shared::{TipCategory, UnitKind};

use super::page::{
    Errors, Filled, Page, Refusal, Values, error_page, form_idempotency, from_local, hidden,
    language, new_key,
};
use super::posted::Posted;
use crate::app::pages::html_escape as esc;
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
const INDICATOR_ROWS: usize = 3;

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
        Err(e) => return error_page(&e, lang, &path, &site),
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
        .respond(&site)
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
struct Ticks {
    danger: bool,
    contact: bool,
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
    if let Err(e) = charge_submission(&state, &limits, &req) {
        return error_page(&e, language(&req, None).0, &path, &site);
    }
    let posted = match Posted::read(&req, payload, TIP_BODY_LIMIT).await {
        Ok(p) => p,
        Err(e) => return error_page(&e, language(&req, None).0, &path, &site),
    };
    let (lang, _) = language(&req, posted.get("lang"));
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
        Err(e) => return error_page(&e, lang, &path, &site),
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
        Ok(r) => receipt_page(lang, &path, &r).respond(&site),
        Err(refusal) => {
            let provinces = match provinces(&state).await {
                Ok(p) => p,
                Err(e) => return error_page(&e, lang, &path, &site),
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
                .respond(&site)
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
    let category = v.get("category").cloned().unwrap_or_else(String::new);
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
        description: v.get("description").cloned().unwrap_or_else(String::new),
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

struct Form<'a> {
    provinces: &'a [UnitDto],
    /// The communes to choose from, when the name typed matched several.
    communes: &'a [UnitDto],
    key: &'a str,
    /// Photos carried from a refused post (data URLs).
    photos: &'a [String],
    ticks: Ticks,
}

impl Form<'_> {
    fn page<'p>(
        &self,
        f: &Filled,
        path: &'p str,
        status: StatusCode,
        retry_after: Option<u64>,
        remember: bool,
    ) -> Page<'p> {
        Page {
            lang: f.lang,
            path,
            main: self.draw(f, path),
            app: true,
            // The provinces, for the wasm's commune choice to start from.
            data: serde_json::to_string(&UnitPage {
                items: self.provinces.to_vec(),
                next_cursor: None,
            })
            .ok(),
            status,
            remember,
            retry_after,
        }
    }

    /// A select of `options`, the one typed before selected; `first` is a blank first choice.
    fn select(
        &self,
        f: &Filled,
        id: &str,
        first: Option<&str>,
        options: &[(String, String)],
    ) -> String {
        let opts: String = options
            .iter()
            .map(|(value, label)| {
                format!(
                    "<option value=\"{}\"{}>{}</option>",
                    esc(value),
                    if f.value(id) == value {
                        " selected"
                    } else {
                        ""
                    },
                    esc(label)
                )
            })
            .collect();
        format!(
            "<select id=\"{id}\" name=\"{id}\"{}>{}{opts}</select>",
            f.invalid(id),
            first.map_or(String::new(), |l| format!(
                "<option value=\"\">{}</option>",
                esc(l)
            ))
        )
    }

    fn commune(&self, f: &Filled) -> String {
        let lang = f.lang;
        let provinces: Vec<(String, String)> = self
            .provinces
            .iter()
            .map(|p| (p.code.clone(), p.full_name.clone()))
            .collect();
        let list = if self.communes.is_empty() {
            String::new()
        } else {
            let communes: Vec<(String, String)> = self
                .communes
                .iter()
                .map(|c| (c.code.clone(), c.full_name.clone()))
                .collect();
            format!(
                "<label for=\"commune_code\">{}</label>{}",
                esc(t(lang, Msg::CommuneFromList)),
                self.select(f, "commune_code", Some(t(lang, Msg::Choose)), &communes)
            )
        };
        format!(
            "<div class=\"field commune-select\"><label for=\"province\">{}</label>{}\
<label for=\"commune-search\">{}</label><input id=\"commune-search\" name=\"commune_q\" type=\"search\" autocomplete=\"off\" value=\"{}\"{}>\
{list}</div>{}",
            esc(t(lang, Msg::Province)),
            self.select(f, "province", Some(t(lang, Msg::Choose)), &provinces),
            esc(t(lang, Msg::CommuneSearch)),
            esc(f.value("commune_q")),
            f.invalid("commune_code"),
            f.err("commune_code"),
        )
    }

    fn indicators(&self, f: &Filled) -> String {
        let lang = f.lang;
        let kinds: Vec<(String, String)> = IndicatorKind::ALL
            .iter()
            .map(|k| {
                let label = if lang == Lang::Vi {
                    k.label_vi()
                } else {
                    k.label_en()
                };
                (k.as_str().to_string(), label.to_string())
            })
            .collect();
        let rows: String = (0..INDICATOR_ROWS)
            .map(|i| {
                let kind_id = format!("indicator_kind_{i}");
                let (value_id, note_id) = (format!("indicator_value_{i}"), format!("indicator_note_{i}"));
                let field = |f_: &str| format!("indicators.{i}.{f_}");
                format!(
                    "<div class=\"indicator\"><div class=\"field\"><label for=\"{kind_id}\">{}</label>{}{}</div>\
<div class=\"field\"><label for=\"{value_id}\">{}</label><input id=\"{value_id}\" name=\"{value_id}\" type=\"text\" value=\"{}\"{}>{}</div>\
<div class=\"field\"><label for=\"{note_id}\">{}</label><input id=\"{note_id}\" name=\"{note_id}\" type=\"text\" value=\"{}\">{}</div></div>",
                    esc(t(lang, Msg::IndicatorKind)),
                    self.select(f, &kind_id, None, &kinds),
                    f.err(&field("kind")),
                    esc(t(lang, Msg::IndicatorValue)),
                    esc(f.value(&value_id)),
                    f.invalid(&field("value")),
                    f.err(&field("value")),
                    esc(t(lang, Msg::IndicatorNote)),
                    esc(f.value(&note_id)),
                    f.err(&field("note")),
                )
            })
            .collect();
        let open = f.value("category") == TipCategory::Fraud.as_str()
            || f.errors.keys().any(|k| k.starts_with("indicators"));
        format!(
            "<details class=\"indicators\"{}><summary>{}</summary><p class=\"hint\">{}</p>{rows}{}</details>",
            if open { " open" } else { "" },
            esc(t(lang, Msg::IndicatorsTitle)),
            esc(t(lang, Msg::IndicatorsHint)),
            f.err("indicators"),
        )
    }

    fn draw(&self, f: &Filled, path: &str) -> String {
        let lang = f.lang;
        let categories: Vec<(String, String)> = TipCategory::ALL
            .iter()
            .map(|c| {
                let label = if lang == Lang::Vi {
                    c.label_vi()
                } else {
                    c.label_en()
                };
                (c.as_str().to_string(), label.to_string())
            })
            .collect();
        let kept: String = self
            .photos
            .iter()
            .map(|d| {
                format!(
                    "<input type=\"hidden\" name=\"kept_photo\" value=\"{}\">",
                    esc(d)
                )
            })
            .collect();
        let kept_note = if self.photos.is_empty() {
            String::new()
        } else {
            format!(
                "<p class=\"hint\" data-testid=\"photos-kept\">{} {}</p>",
                self.photos.len(),
                esc(t(lang, Msg::PhotosKept))
            )
        };
        let photo_errors: String = std::iter::once("photos".to_string())
            .chain((0..MAX_PHOTOS).map(|i| format!("photos.{i}")))
            .map(|k| f.err(&k))
            .collect();
        format!(
            "<form class=\"tip\" novalidate method=\"post\" action=\"{}\" enctype=\"multipart/form-data\">{}{kept}\
<h2>{}</h2><p class=\"protect\" data-testid=\"protection\">{}</p>{}{}\
<div class=\"field\"><label for=\"category\">{}</label>{}{}</div>\
<div class=\"field\"><label for=\"description\">{}</label><textarea id=\"description\" name=\"description\" rows=\"6\"{} aria-describedby=\"err-description\">{}</textarea>{}</div>\
{}{}\
{}\
{}\
{}\
<div class=\"field\"><label for=\"photos\">{}</label><input id=\"photos\" name=\"photos\" type=\"file\" accept=\"image/*\" multiple>\
<p class=\"hint\">{}</p>{kept_note}{photo_errors}</div>\
{}\
<p class=\"hint\">{}</p>\
{}{}\
<button type=\"submit\" class=\"primary\">{}</button></form>",
            esc(path),
            hidden(lang, self.key),
            esc(t(lang, Msg::TipTitle)),
            esc(t(lang, Msg::TipProtection)),
            f.summary(),
            f.err("form"),
            esc(t(lang, Msg::TipCategory)),
            self.select(f, "category", Some(t(lang, Msg::Choose)), &categories),
            f.err("category"),
            esc(t(lang, Msg::TipDescription)),
            f.invalid("description"),
            esc(f.value("description")),
            f.err("description"),
            self.indicators(f),
            self.commune(f),
            f.text_field("place", t(lang, Msg::TipPlace), "text", false, None),
            f.text_field(
                "incident_at",
                t(lang, Msg::TipWhen),
                "datetime-local",
                false,
                None
            ),
            f.checkbox("danger", t(lang, Msg::TipDanger), self.ticks.danger),
            esc(t(lang, Msg::TipPhotos)),
            format!(
                "{} {} MB.",
                esc(t(lang, Msg::PhotosNoScript)),
                PHOTO_MAX_BYTES / (1024 * 1024)
            ),
            f.checkbox(
                "leave_contact",
                t(lang, Msg::TipLeaveContact),
                self.ticks.contact
            ),
            esc(t(lang, Msg::ContactIfTicked)),
            f.text_field(
                "contact_name",
                t(lang, Msg::TipContactName),
                "text",
                false,
                None
            ),
            f.text_field(
                "contact_phone",
                t(lang, Msg::TipContactPhone),
                "tel",
                false,
                None
            ),
            esc(t(lang, Msg::TipSend)),
        )
    }
}

/// The receipt, as the wasm's `ReceiptView` draws it: the code once, large; no copy button (it
/// needs a script), the code selectable whole instead.
fn receipt_page<'p>(lang: Lang, path: &'p str, r: &TipReceipt) -> Page<'p> {
    let main = format!(
        "<section class=\"receipt\" data-testid=\"tip-receipt\"><h2>{}</h2><p>{}</p>\
<p class=\"receipt-code big\" data-testid=\"tip-code\">{}</p>\
<p class=\"warning\" role=\"note\">{}</p><p><a href=\"/theo-doi\">{}</a></p></section>",
        esc(t(lang, Msg::TipReceived)),
        esc(t(lang, Msg::TipCodeIs)),
        esc(&r.receipt_code),
        esc(t(lang, Msg::TipCodeOnce)),
        esc(t(lang, Msg::FollowLink)),
    );
    Page {
        lang,
        path,
        main,
        app: false,
        data: None,
        status: StatusCode::OK,
        remember: false,
        retry_after: None,
    }
}
