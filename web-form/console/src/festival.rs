//! The festival of 19/8 in a commune: which residential areas held it this year (and the share),
//! and a form to record an area's day, attendance, note and photos (shrunk on the phone as the
//! tip form does; the server strips their metadata again).

use bvantq_shared::plan::festival::{FestivalBoard, FestivalRequest, MAX_FESTIVAL_PHOTOS};
use bvantq_shared::tip::PhotoUpload;
use web_form::form::{FieldErrors, day, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, field_errors, input_value};
use crate::strings::{Msg, s};

#[function_component(FestivalDesk)]
pub fn festival_desk() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let Some(unit) = auth.me().map(|m| m.scope_unit) else {
        return html! {};
    };
    let data = use_state(|| Load::<FestivalBoard>::Loading);
    let reload = use_state(|| 0u32);
    let errors = use_state(FieldErrors::new);
    let photos = use_state(Vec::<String>::new);
    let (area, held_on, attendance, note) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    {
        let (auth, data, unit) = (auth.clone(), data.clone(), unit.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                // This year by the server's clock.
                let url = format!("/api/v1/units/{unit}/festivals");
                data.set(match auth.get::<FestivalBoard>(&url).await {
                    Ok(b) => Load::Ready(b),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
            });
        });
    }
    let on_photo = {
        let errors = errors.clone();
        web_form::photos::picker(
            photos.clone(),
            Callback::from(move |_| {
                let e = bvantq_shared::ValidationError::ImageType;
                let mut m = FieldErrors::new();
                m.insert("photos".into(), (e.message_vi(), e.message_en()));
                errors.set(m);
            }),
        )
    };
    let submit = {
        let (auth, reload, errors, photos) =
            (auth.clone(), reload.clone(), errors.clone(), photos.clone());
        let (area, held_on_ref, attendance_ref, note) = (
            area.clone(),
            held_on.clone(),
            attendance.clone(),
            note.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(code) = area.cast::<web_sys::HtmlSelectElement>().map(|s| s.value()) else {
                return;
            };
            // A day or a count that does not read is named on its field, never sent as another.
            let mut bad = FieldErrors::new();
            let day = bvantq_shared::chrono::NaiveDate::parse_from_str(
                &input_value(&held_on_ref),
                "%Y-%m-%d",
            );
            if day.is_err() {
                let e = bvantq_shared::ValidationError::DateFormat;
                bad.insert("held_on".into(), (e.message_vi(), e.message_en()));
            }
            let count = input_value(&attendance_ref).trim().parse::<i64>();
            if count.is_err() {
                let e = bvantq_shared::ValidationError::OutOfRange {
                    min: 1,
                    max: bvantq_shared::plan::festival::ATTENDANCE_MAX,
                };
                bad.insert("attendance".into(), (e.message_vi(), e.message_en()));
            }
            let (Ok(held_on), Ok(attendance)) = (day, count) else {
                errors.set(bad);
                return;
            };
            let text = input_value(&note);
            let req = FestivalRequest {
                held_on,
                attendance,
                note: (!text.trim().is_empty()).then_some(text),
                photos: photos
                    .iter()
                    .take(MAX_FESTIVAL_PHOTOS)
                    .map(|d| PhotoUpload { data: d.clone() })
                    .collect(),
            };
            let (auth, reload, errors, photos) =
                (auth.clone(), reload.clone(), errors.clone(), photos.clone());
            let fields = (held_on_ref.clone(), attendance_ref.clone(), note.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/units/{code}/festivals");
                match auth
                    .post::<_, bvantq_shared::plan::festival::Festival>(&url, &req)
                    .await
                {
                    Ok(_) => {
                        errors.set(FieldErrors::new());
                        photos.set(Vec::new());
                        // The next area starts from an empty form.
                        for r in [&fields.0, &fields.1] {
                            if let Some(i) = r.cast::<web_sys::HtmlInputElement>() {
                                i.set_value("");
                            }
                        }
                        if let Some(t) = fields.2.cast::<web_sys::HtmlTextAreaElement>() {
                            t.set_value("");
                        }
                        reload.set(*reload + 1);
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let body = match &*data {
        Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(b) => {
            let pending: Vec<&bvantq_shared::plan::festival::FestivalLine> =
                b.lines.iter().filter(|l| l.festival.is_none()).collect();
            html! {
                <>
                    <p data-testid="festival-share">
                        { format!("{}/{} ", b.share.held, b.share.areas) }{ s(lang, Msg::FestivalShare) }
                        { format!(" ({})", crate::results::percent(lang, b.share.percent)) }
                    </p>
                    <ul class="plans" data-testid="festival-areas">
                        { for b.lines.iter().map(|l| html! {
                            <li>
                                <strong data-data="">{ l.unit_name.clone() }</strong>
                                <span class="row-meta">
                                    if let Some(f) = &l.festival {
                                        { s(lang, Msg::FestivalHeld) }{ format!(" {} · ", day(f.held_on)) }
                                        { format!("{} {}", f.attendance, s(lang, Msg::FestivalPeople)) }
                                        { format!(" · {} ", f.photo_ids.len()) }{ s(lang, Msg::FestivalPhotos) }
                                    } else {
                                        { s(lang, Msg::FestivalNotHeld) }
                                    }
                                </span>
                            </li>
                        }) }
                    </ul>
                    if !pending.is_empty() {
                        <form class="emulation-form" onsubmit={submit} novalidate=true data-testid="festival-form">
                            <div class="field">
                                <label for="festival-area">{ s(lang, Msg::FestivalArea) }</label>
                                <select id="festival-area" ref={area}>
                                    { for pending.iter().enumerate().map(|(i, l)| html! {
                                        <option value={l.unit_code.clone()} selected={i == 0} data-data="">{ l.unit_name.clone() }</option>
                                    }) }
                                </select>
                                { field_error(lang, &errors, "code") }
                            </div>
                            <div class="field">
                                <label for="festival-day">{ s(lang, Msg::FestivalDay) }</label>
                                <input id="festival-day" type="date" ref={held_on} />
                                { field_error(lang, &errors, "held_on") }
                            </div>
                            <div class="field">
                                <label for="festival-attendance">{ s(lang, Msg::FestivalAttendance) }</label>
                                <input id="festival-attendance" type="text" inputmode="numeric" ref={attendance} />
                                { field_error(lang, &errors, "attendance") }
                            </div>
                            <div class="field">
                                <label for="festival-note">{ s(lang, Msg::AnnualNote) }</label>
                                <textarea id="festival-note" rows="2" ref={note} />
                                { field_error(lang, &errors, "note") }
                            </div>
                            <div class="field">
                                <label for="festival-photos">{ s(lang, Msg::FestivalPhotoInput) }</label>
                                <input id="festival-photos" type="file" accept="image/*" multiple=true onchange={on_photo} />
                                if !photos.is_empty() {
                                    <p class="hint">{ format!("{} ", photos.len().min(MAX_FESTIVAL_PHOTOS)) }{ s(lang, Msg::FestivalPhotos) }</p>
                                }
                                { field_error(lang, &errors, "photos") }
                            </div>
                            { field_error(lang, &errors, "form") }
                            <button class="primary" type="submit">{ s(lang, Msg::FestivalRecord) }</button>
                        </form>
                    }
                </>
            }
        }
    };
    html! {
        <section data-testid="festival">
            <h3>{ s(lang, Msg::FestivalTitle) }</h3>
            { body }
        </section>
    }
}
