//! `/k/{code}` drawn on the server: the campaign's pledge form, posted without script, and the
//! receipt. Markup mirrors `web-form/src/pledge_form` (the wasm takes the same form over).

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, Payload};
use actix_web::{HttpRequest, HttpResponse};
use bvantq_shared::PledgeKind;
use bvantq_shared::i18n::{Lang, Msg, t};
use bvantq_shared::pledge::{
    ADULT_AGE, CampaignCode, PledgeReceipt, PublicCampaign, SignRequest, age_on, parse_date,
};

use super::page::{
    Errors, Filled, Page, Refusal, Values, error_page, form_idempotency, hidden, language, new_key,
};
use super::posted::Posted;
use crate::app::pages::html_escape as esc;
use crate::app::state::Site;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::static_files::Part;
use crate::pledges::routes::signing::{contest_public, sign_public};
use crate::pledges::service::campaigns::public_view;
use crate::pledges::state::PledgesState;

/// A pledge form is small: names, dates, a few ticks.
const LIMIT: usize = 64 * 1024;

/// The fields a signing carries (besides the ticks), drawn again and carried by a contest.
const FIELDS: &[&str] = &[
    "unit_code",
    "full_name",
    "birth_date",
    "citizen_id",
    "phone",
    "address",
    "members",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
];

async fn campaign(
    state: &Core,
    pledges: &Data<PledgesState>,
    code: &CampaignCode,
) -> Result<PublicCampaign, ApiError> {
    let (p, code, today) = (pledges.clone(), code.clone(), state.now().date());
    state
        .db(move |conn| {
            let ctx = p.campaigns.get(conn, code.as_str())?;
            public_view(conn, &ctx, today)
        })
        .await
}

/// The page of a campaign that is not there (or whose code is malformed).
fn not_found(
    req: &HttpRequest,
    lang: Lang,
    path: &str,
    remember: bool,
    site: &Site,
) -> HttpResponse {
    Page {
        lang,
        path,
        main: format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            esc(t(lang, Msg::CampaignNotFound))
        ),
        app: None,
        data: None,
        status: StatusCode::NOT_FOUND,
        remember,
        retry_after: None,
    }
    .respond(req, site)
}

/// `GET /k/{code}`: the form, empty.
pub async fn show(
    req: HttpRequest,
    state: Data<Core>,
    pledges: Data<PledgesState>,
    site: Data<Site>,
    code: Path<String>,
) -> HttpResponse {
    let (lang, remember) = language(&req, None);
    let path = req.path().to_string();
    let Ok(code) = CampaignCode::parse(&code) else {
        return not_found(&req, lang, &path, remember, &site);
    };
    match campaign(&state, &pledges, &code).await {
        Ok(c) => {
            let form = Form {
                c: &c,
                today: state.now().date(),
                key: &new_key(),
                ticked: &[],
                consent: false,
            };
            let filled = Filled {
                lang,
                values: &Values::new(),
                errors: &Errors::new(),
            };
            form.page(&filled, &path, StatusCode::OK, None, remember)
                .respond(&req, &site)
        }
        Err(ApiError::NotFound) => not_found(&req, lang, &path, remember, &site),
        Err(e) => error_page(&e, &req, lang, &path, &site),
    }
}

/// `POST /k/{code}`: the signing (or, with `contest`, the contest of the pledge already signed in
/// the same name), as the API makes it; the form again on a refusal, the receipt when signed.
pub async fn take(
    req: HttpRequest,
    state: Data<Core>,
    pledges: Data<PledgesState>,
    site: Data<Site>,
    code: Path<String>,
    payload: Payload,
) -> HttpResponse {
    let path = req.path().to_string();
    let (posted, lang) = match Posted::read_form(&req, payload, LIMIT, &path, &site).await {
        Ok(read) => read,
        Err(page) => return page,
    };
    let Ok(code) = CampaignCode::parse(&code) else {
        return not_found(&req, lang, &path, false, &site);
    };
    let c = match campaign(&state, &pledges, &code).await {
        Ok(c) => c,
        Err(ApiError::NotFound) => return not_found(&req, lang, &path, false, &site),
        Err(e) => return error_page(&e, &req, lang, &path, &site),
    };
    let values = posted.values(FIELDS);
    let ticked: Vec<i64> = (1..=c.commitments.len() as i64)
        .filter(|i| posted.checked(&format!("commitment-{i}")))
        .collect();
    let consent = posted.checked("privacy_consent");
    let first = c.units.first().map_or("", |u| u.code.as_str());
    let input = SignRequest::from_form(&values, ticked.clone(), consent, first);
    let key = posted.get("idempotency_key").unwrap_or("");
    let contest = posted.checked("contest");
    let scope = format!("page {path}");
    let outcome = match form_idempotency(&scope, key, &input, &state) {
        Ok(idem) if contest => contest_public(&state, &pledges, &req, &code, &input, idem).await,
        Ok(idem) => sign_public(&state, &pledges, &req, &code, &input, idem).await,
        Err(e) => Err(e),
    };
    let receipt = outcome
        .and_then(|a| serde_json::from_value::<PledgeReceipt>(a.body).map_err(ApiError::internal));
    match receipt {
        Ok(r) => receipt_page(lang, &path, &c, &r, &values, &ticked).respond(&req, &site),
        Err(e) => {
            let refusal = Refusal::from(&e);
            let filled = Filled {
                lang,
                values: &values,
                errors: &refusal.errors,
            };
            // The same key again: what was refused wrote nothing, and a repeat of a good
            // signing that lost its answer arrives once.
            let key = if key.is_empty() {
                new_key()
            } else {
                key.to_string()
            };
            let form = Form {
                c: &c,
                today: state.now().date(),
                key: &key,
                ticked: &ticked,
                consent,
            };
            form.page(&filled, &path, refusal.status, refusal.retry_after, false)
                .respond(&req, &site)
        }
    }
}

struct Form<'a> {
    c: &'a PublicCampaign,
    /// The day the parser checks ages on (the server's, as `pledges::service::signing`).
    today: chrono::NaiveDate,
    key: &'a str,
    ticked: &'a [i64],
    consent: bool,
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
            app: Some(Part::Pledge),
            data: serde_json::to_string(self.c).ok(),
            status,
            remember,
            retry_after,
        }
    }

    fn draw(&self, f: &Filled, path: &str) -> String {
        let (c, lang) = (self.c, f.lang);
        let title = match (lang, &c.template_title_en) {
            (Lang::En, Some(en)) => en.as_str(),
            _ => c.template_title_vi.as_str(),
        };
        let commitments: String = c
            .commitments
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let n = i as i64 + 1;
                let text = match (lang, &m.en) {
                    (Lang::En, Some(en)) => en.as_str(),
                    _ => m.vi.as_str(),
                };
                format!(
                    "<li class=\"check\"><input type=\"checkbox\" id=\"commitment-{n}\" name=\"commitment-{n}\"{}>\
<label for=\"commitment-{n}\">{n}. {}</label></li>",
                    if self.ticked.contains(&n) { " checked" } else { "" },
                    esc(text)
                )
            })
            .collect();
        let unit_label = match c.kind {
            PledgeKind::Household => Msg::UnitHousehold,
            PledgeKind::Student => Msg::UnitStudent,
            PledgeKind::Worker => Msg::UnitWorker,
        };
        let units: String = c
            .units
            .iter()
            .map(|u| {
                format!(
                    "<option value=\"{}\" data-data=\"unit\"{}>{}</option>",
                    esc(&u.code),
                    if f.value("unit_code") == u.code {
                        " selected"
                    } else {
                        ""
                    },
                    esc(&u.name)
                )
            })
            .collect();
        let rules = &c.fields;
        let today = self.today;
        let under_18 =
            parse_date(f.value("birth_date")).is_ok_and(|b| age_on(b, today) < ADULT_AGE);
        let name_label = if c.kind == PledgeKind::Household {
            Msg::HeadName
        } else {
            Msg::FullName
        };
        let mut about = f.text_field("full_name", t(lang, name_label), "text", true, None);
        about += &f.text_field("birth_date", t(lang, Msg::BirthDate), "date", true, None);
        about += &f.text_field(
            "citizen_id",
            t(lang, Msg::CitizenId),
            "text",
            rules.citizen_id_required,
            Some(t(lang, Msg::CitizenIdHint)),
        );
        about += &f.text_field("phone", t(lang, Msg::PhoneOptional), "tel", false, None);
        if rules.household {
            about += &f.text_field("address", t(lang, Msg::Address), "text", true, None);
            about += &f.text_field("members", t(lang, Msg::Members), "number", true, None);
        }
        let guardian = if rules.guardian_under_18 && under_18 {
            format!(
                "<fieldset class=\"guardian\" data-testid=\"guardian\"><legend>{}</legend><p class=\"hint\">{}</p>{}{}{}</fieldset>",
                esc(t(lang, Msg::Guardian)),
                esc(t(lang, Msg::GuardianHint)),
                f.text_field(
                    "guardian_name",
                    t(lang, Msg::GuardianName),
                    "text",
                    true,
                    None
                ),
                f.text_field(
                    "guardian_relation",
                    t(lang, Msg::GuardianRelation),
                    "text",
                    true,
                    None
                ),
                f.text_field(
                    "guardian_phone",
                    t(lang, Msg::GuardianPhone),
                    "tel",
                    true,
                    None
                ),
            )
        } else {
            String::new()
        };
        let closed = if c.open {
            String::new()
        } else {
            format!(
                "<p class=\"error\" role=\"alert\">{}</p>",
                esc(t(lang, Msg::CampaignClosed))
            )
        };
        format!(
            "<form class=\"pledge\" novalidate method=\"post\" action=\"{}\">{}\
<p class=\"muted\" data-data=\"owner\">{} · {}</p><h2>{}</h2>\
<p class=\"muted\" data-testid=\"window\">{} {} – {}</p>{closed}{}{}\
<fieldset><legend>{}</legend><ul class=\"commitments\">{commitments}</ul>{}</fieldset>\
<fieldset><legend>{}</legend><div class=\"field\"><label for=\"unit_code\">{}</label>\
<select id=\"unit_code\" name=\"unit_code\"{}>{units}</select>{}</div>{about}</fieldset>{guardian}{}\
<div class=\"check consent\"><input type=\"checkbox\" id=\"privacy_consent\" name=\"privacy_consent\"{}{}>\
<label for=\"privacy_consent\">{}</label></div>{}\
<button type=\"submit\" class=\"primary\"{}>{}</button></form>",
            esc(path),
            hidden(lang, self.key),
            esc(&c.owner_name),
            c.year,
            esc(title),
            esc(t(lang, Msg::SigningPeriod)),
            day(c.opens_on),
            day(c.closes_on),
            f.summary(),
            f.err("form"),
            esc(t(lang, Msg::Commitments)),
            f.err("commitments_accepted"),
            esc(t(lang, Msg::AboutYou)),
            esc(t(lang, unit_label)),
            f.invalid("unit_code"),
            f.err("unit_code"),
            f.err("guardian"),
            if self.consent { " checked" } else { "" },
            f.invalid("privacy_consent"),
            esc(t(lang, Msg::Consent)),
            f.err("privacy_consent"),
            if c.open { "" } else { " disabled" },
            esc(t(lang, Msg::Sign)),
        )
    }
}

/// `dd/mm/yyyy`, as the wasm writes a date.
fn day(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The receipt, as `web-form/src/pledge_form/receipt.rs` draws it; a pledge already signed in
/// the same name offers the contest as a form carrying what was typed.
fn receipt_page<'p>(
    lang: Lang,
    path: &'p str,
    c: &PublicCampaign,
    r: &PledgeReceipt,
    values: &Values,
    ticked: &[i64],
) -> Page<'p> {
    let heading = match (r.disputed, r.created) {
        (true, _) => Msg::Contested,
        (false, true) => Msg::ThankYou,
        (false, false) => Msg::AlreadySigned,
    };
    let contest = if r.created {
        String::new()
    } else {
        let mut carried: String = values
            .iter()
            .map(|(k, v)| {
                format!(
                    "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                    esc(k),
                    esc(v)
                )
            })
            .collect();
        for n in ticked {
            carried += &format!("<input type=\"hidden\" name=\"commitment-{n}\" value=\"on\">");
        }
        format!(
            "<form method=\"post\" action=\"{}\">{}{carried}\
<input type=\"hidden\" name=\"privacy_consent\" value=\"on\"><input type=\"hidden\" name=\"contest\" value=\"on\">\
<p class=\"hint\">{}</p><button type=\"submit\" class=\"secondary\" data-testid=\"contest\">{}</button></form>",
            esc(path),
            hidden(lang, &new_key()),
            esc(t(lang, Msg::NotYou)),
            esc(t(lang, Msg::Contest)),
        )
    };
    let main = format!(
        "<section class=\"receipt\" data-testid=\"receipt\"><h2>{}</h2><p>{}</p>\
<p class=\"receipt-code\" data-testid=\"receipt-code\">{}</p><p class=\"muted\">{}</p>\
<img class=\"qr\" src=\"/api/v1/pledges/verify/{}/qr.svg\" width=\"180\" height=\"180\" alt=\"{}\">\
<p><a href=\"{}\">{}</a></p>{contest}</section>",
        esc(t(lang, heading)),
        esc(t(lang, Msg::ReceiptNumber)),
        esc(&r.receipt),
        esc(&c.title),
        esc(&r.receipt),
        esc(t(lang, Msg::VerifyQr)),
        esc(&r.verify_url),
        esc(t(lang, Msg::VerifyLink)),
    );
    Page {
        lang,
        path,
        main,
        app: None,
        data: None,
        status: StatusCode::OK,
        remember: false,
        retry_after: None,
    }
}
