//! The tip form and its receipt as the server draws them (`tip.rs` takes the post). Markup
//! mirrors `web-form/src/tip_form.rs`, element for element where a script is not needed.

use actix_web::http::StatusCode;
use bvantq_shared::TipCategory;
use bvantq_shared::api::{UnitDto, UnitPage};
use bvantq_shared::i18n::{Lang, Msg, t};
use bvantq_shared::tip::indicator::IndicatorKind;
use bvantq_shared::tip::{MAX_PHOTOS, PHOTO_MAX_BYTES, TipReceipt};

use super::page::{Filled, Page, hidden};
use super::tip::{INDICATOR_ROWS, Ticks};
use crate::app::pages::html_escape as esc;
use crate::infra::static_files::Part;

pub(super) struct Form<'a> {
    pub provinces: &'a [UnitDto],
    /// The communes to choose from, when the name typed matched several.
    pub communes: &'a [UnitDto],
    pub key: &'a str,
    /// Photos carried from a refused post (data URLs).
    pub photos: &'a [String],
    pub ticks: Ticks,
}

impl Form<'_> {
    pub(super) fn page<'p>(
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
            app: Some(Part::Tip),
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
        let photo_hint = format!(
            "{} {} MB.",
            esc(t(lang, Msg::PhotosNoScript)),
            PHOTO_MAX_BYTES / (1024 * 1024)
        );
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
            photo_hint,
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
pub(super) fn receipt_page<'p>(lang: Lang, path: &'p str, r: &TipReceipt) -> Page<'p> {
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
        app: None,
        data: None,
        status: StatusCode::OK,
        remember: false,
        retry_after: None,
    }
}
