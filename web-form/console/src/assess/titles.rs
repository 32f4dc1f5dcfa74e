//! The emulation titles of the unit's sub-units (danh hiệu thi đua của đơn vị trực thuộc; TT 124
//! arts. 6.5, 7.6), declared for the assessment's year by whoever prepares it: how many
//! sub-units, how many hold a title, which titles, by what decision. The share then decides the
//! 70% criterion (5 of an agency or enterprise, 6 of a school; its evidence is read again once
//! saved).

use bvantq_shared::ValidationError;
use bvantq_shared::titles::{SUBUNITS_MAX, SubunitTitles, SubunitTitlesRequest, TitlesStatus};
use web_form::form::{FieldErrors, add_error, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, failure, field_errors, value_of};
use crate::strings::{Msg, s};

#[derive(Properties, PartialEq)]
pub struct TitlesProps {
    pub code: String,
    pub period: i32,
    /// Called once saved (the assessment is read again).
    pub on_saved: Callback<()>,
}

/// A count that must be typed in `id`, or the field's error.
fn count_of(id: &str, field: &str, max: u32, bad: &mut FieldErrors) -> Option<u32> {
    match crate::helpers::number_of(id, field, 0, max, bad)? {
        Some(n) => Some(n),
        None => {
            let e = ValidationError::OutOfRange {
                min: 0,
                max: i64::from(max),
            };
            add_error(bad, &e.on(field));
            None
        }
    }
}

#[function_component(SubunitTitlesForm)]
pub fn subunit_titles_form(p: &TitlesProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let url = format!("/api/v1/units/{}/subunit-titles/{}", p.code, p.period);
    // `None` while loading or when nothing is declared yet.
    let current = use_state(|| None::<SubunitTitles>);
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    {
        let (auth, current, errors) = (auth.clone(), current.clone(), errors.clone());
        use_effect_with(url.clone(), move |url| {
            let url = url.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match auth.get::<TitlesStatus>(&url).await {
                    // Not declared yet: the form starts empty.
                    Ok(t) => current.set(t.declared),
                    Err(e) => {
                        let why = failure(lang, &e);
                        errors.set(web_form::form::form_error(&why, &why));
                    }
                }
            });
        });
    }
    let save = {
        let (auth, current, errors, busy) =
            (auth.clone(), current.clone(), errors.clone(), busy.clone());
        let (url, on_saved) = (url.clone(), p.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut bad = FieldErrors::new();
            let subunits = count_of("titles-subunits", "subunits", SUBUNITS_MAX, &mut bad);
            let titled = count_of("titles-titled", "titled", SUBUNITS_MAX, &mut bad);
            let (Some(subunits), Some(titled)) = (subunits, titled) else {
                errors.set(bad);
                return;
            };
            let note = value_of("titles-note");
            let req = SubunitTitlesRequest {
                subunits,
                titled,
                titles: value_of("titles-titles"),
                document: value_of("titles-document"),
                note: (!note.trim().is_empty()).then_some(note),
            };
            // The server's checks, here first.
            if let Err(problems) = req.parse() {
                for f in &problems {
                    add_error(&mut bad, f);
                }
                errors.set(bad);
                return;
            }
            let (auth, current, errors, busy, url, on_saved) = (
                auth.clone(),
                current.clone(),
                errors.clone(),
                busy.clone(),
                url.clone(),
                on_saved.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match auth.put::<_, SubunitTitles>(&url, &req).await {
                    Ok(t) => {
                        errors.set(FieldErrors::new());
                        current.set(Some(t));
                        on_saved.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
                busy.set(false);
            });
        })
    };
    let c = (*current).clone();
    let n = |f: fn(&SubunitTitles) -> u32| c.as_ref().map(|t| f(t).to_string());
    let text = |f: fn(&SubunitTitles) -> Option<String>| c.as_ref().and_then(f);
    html! {
        <form class="emulation-form" onsubmit={save} novalidate=true data-testid="titles-form">
            <h4>{ s(lang, Msg::TitlesTitle) }</h4>
            <p class="hint">{ s(lang, Msg::TitlesHint) }</p>
            if let Some(t) = &c {
                <p data-testid="titles-current">
                    { format!("{}: {}/{} ", s(lang, Msg::TitlesDeclared), t.titled, t.subunits) }
                    { format!("({}) · ", crate::results::percent(lang, t.percent)) }
                    <strong class={if t.meets { "met" } else { "not-met" }}>
                        { s(lang, if t.meets { Msg::TitlesMet } else { Msg::TitlesNotMet }) }
                        { format!(" ≥ {}%", t.threshold_percent) }
                    </strong>
                </p>
            }
            <div class="field">
                <label for="titles-subunits">{ s(lang, Msg::TitlesSubunits) }</label>
                <input id="titles-subunits" type="number" min="1" inputmode="numeric" value={n(|t| t.subunits)} />
                { field_error(lang, &errors, "subunits") }
            </div>
            <div class="field">
                <label for="titles-titled">{ s(lang, Msg::TitlesTitled) }</label>
                <input id="titles-titled" type="number" min="0" inputmode="numeric" value={n(|t| t.titled)} />
                { field_error(lang, &errors, "titled") }
            </div>
            <div class="field">
                <label for="titles-titles">{ s(lang, Msg::TitlesNames) }</label>
                <input id="titles-titles" type="text" value={text(|t| Some(t.titles.clone()))} />
                { field_error(lang, &errors, "titles") }
            </div>
            <div class="field">
                <label for="titles-document">{ s(lang, Msg::TitlesDocument) }</label>
                <input id="titles-document" type="text" value={text(|t| Some(t.document.clone()))} />
                { field_error(lang, &errors, "document") }
            </div>
            <div class="field">
                <label for="titles-note">{ s(lang, Msg::NoteOptional) }</label>
                <input id="titles-note" type="text" value={text(|t| t.note.clone())} />
                { field_error(lang, &errors, "note") }
            </div>
            { field_error(lang, &errors, "form") }
            { field_error(lang, &errors, "year") }
            <button class="primary" type="submit" disabled={*busy}>{ s(lang, Msg::TitlesSave) }</button>
        </form>
    }
}
