//! The province's own criteria sets (bộ tiêu chí, thang điểm của tỉnh): a province officer
//! publishes its version of a national set — the scorecard of its own decision with the document
//! it comes from (the national one is the platform's provisional reading), its classification
//! cut-offs, the share of the 70% rules and its reading of «kịp thời» (art. 4.4). New assessments
//! in the province use its latest version; those begun keep theirs; a set is never edited.

use bvantq_shared::assessment::{Bands, CriteriaSet, ProvinceSetRequest};
use bvantq_shared::{Classification, ValidationError};
use web_form::form::{FieldErrors, add_error, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, field_errors, pick_owned, value_of};
use crate::strings::{Msg, label, s};

fn number_of(id: &str, field: &str, max: u32, bad: &mut FieldErrors) -> Option<Option<u32>> {
    crate::helpers::number_of(id, field, 1, max, bad)
}

/// The request the form holds, checked by the parsers the server runs; or the fields' errors.
fn request() -> Result<ProvinceSetRequest, FieldErrors> {
    let mut bad = FieldErrors::new();
    let lines = value_of("set-scorecard");
    let source = value_of("set-source");
    let scorecard = if lines.trim().is_empty() {
        None
    } else {
        match bvantq_shared::scorecard::parse_lines(&lines) {
            Ok(items) => Some(items),
            Err(errors) => {
                for e in &errors {
                    add_error(&mut bad, e);
                }
                None
            }
        }
    };
    if !lines.trim().is_empty() && source.trim().is_empty() {
        add_error(&mut bad, &ValidationError::Required.on("scorecard_source"));
    }
    if lines.trim().is_empty() && !source.trim().is_empty() {
        add_error(&mut bad, &ValidationError::Required.on("scorecard"));
    }
    let cut = |id: &str, bad: &mut FieldErrors| number_of(id, "bands", 100, bad);
    let bands = match (
        cut("set-xuat-sac", &mut bad),
        cut("set-kha", &mut bad),
        cut("set-trung-binh", &mut bad),
    ) {
        (Some(None), Some(None), Some(None)) => None,
        (Some(Some(xuat_sac)), Some(Some(kha)), Some(Some(trung_binh))) => {
            let b = Bands {
                xuat_sac,
                kha,
                trung_binh,
            };
            if !b.in_order() {
                add_error(&mut bad, &ValidationError::BandsOrder.on("bands"));
            }
            Some(b)
        }
        _ => {
            add_error(&mut bad, &ValidationError::BandsOrder.on("bands"));
            None
        }
    };
    let threshold = number_of("set-threshold", "children_threshold_percent", 100, &mut bad);
    let hours = number_of("set-hours", "prompt_report_hours", 720, &mut bad);
    if !bad.is_empty() {
        return Err(bad);
    }
    Ok(ProvinceSetRequest {
        base: value_of("set-base"),
        extra_criteria: Vec::new(),
        bands,
        children_threshold_percent: threshold.flatten(),
        scorecard,
        scorecard_source: (!source.trim().is_empty()).then_some(source),
        prompt_report_hours: hours.flatten(),
    })
}

fn set_line(lang: Lang, set: &CriteriaSet) -> Html {
    let b = set.bands;
    html! {
        <li data-set={set.id.clone()}>
            <strong data-data="">{ pick_owned(lang, &set.title_vi, &set.title_en) }</strong>
            { format!(" · v{} · ", set.version) }
            { match &set.scorecard_source {
                Some(src) => html! { <>{ s(lang, Msg::ScorecardFrom) }{ ": " }<span data-data="">{ src.clone() }</span></> },
                None => html! { { s(lang, Msg::ProvisionalShort) } },
            } }
            { format!(
                " · {} ≥ {}, {} ≥ {}, {} ≥ {} · 70%: {}% · {}: {} h",
                label(lang, Classification::XuatSac), b.xuat_sac,
                label(lang, Classification::Kha), b.kha,
                label(lang, Classification::TrungBinh), b.trung_binh,
                set.children_threshold_percent,
                s(lang, Msg::SetHoursShort), set.prompt_report_hours,
            ) }
        </li>
    }
}

#[function_component(ProvinceSets)]
pub fn province_sets() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let Some(province) = auth.me().map(|m| m.scope_unit) else {
        return html! {};
    };
    let sets = use_state(|| Load::<Vec<CriteriaSet>>::Loading);
    let errors = use_state(FieldErrors::new);
    let published = use_state(|| None::<String>);
    let reload = use_state(|| 0u32);
    {
        let (auth, sets) = (auth.clone(), sets.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                sets.set(
                    match auth.get::<Vec<CriteriaSet>>("/api/v1/criteria-sets").await {
                        Ok(v) => Load::Ready(v),
                        Err(e) => Load::Failed(failure(lang, &e)),
                    },
                );
            });
        });
    }
    let publish = {
        let (auth, errors, published, reload) = (
            auth.clone(),
            errors.clone(),
            published.clone(),
            reload.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let req = match request() {
                Ok(r) => r,
                Err(bad) => {
                    errors.set(bad);
                    return;
                }
            };
            let (auth, errors, published, reload) = (
                auth.clone(),
                errors.clone(),
                published.clone(),
                reload.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match auth
                    .post::<_, CriteriaSet>("/api/v1/criteria-sets", &req)
                    .await
                {
                    Ok(set) => {
                        errors.set(FieldErrors::new());
                        published.set(Some(set.id));
                        reload.set(*reload + 1);
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let all = match &*sets {
        Load::Loading => return html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => return html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(v) => v,
    };
    let own: Vec<&CriteriaSet> = all
        .iter()
        .filter(|x| x.province.as_deref() == Some(province.as_str()))
        .collect();
    // The bases: the latest national set of each kind.
    let mut bases: Vec<&CriteriaSet> = Vec::new();
    for x in all.iter().filter(|x| x.province.is_none()) {
        match bases.iter_mut().find(|b| b.unit_kind == x.unit_kind) {
            Some(b) if b.version < x.version => *b = x,
            Some(_) => {}
            None => bases.push(x),
        }
    }
    // Problems on a line of the scorecard, in order.
    let line_errors: Vec<(String, String)> = errors
        .iter()
        .filter_map(|(field, (vi, en))| {
            let n = field.strip_prefix("scorecard.")?;
            Some((
                n.to_string(),
                if lang == Lang::Vi {
                    vi.clone()
                } else {
                    en.clone()
                },
            ))
        })
        .collect();
    html! {
        <section data-testid="province-sets">
            <h3>{ s(lang, Msg::SetsTitle) }</h3>
            <p class="hint">{ s(lang, Msg::SetsHint) }</p>
            if own.is_empty() {
                <p class="muted">{ s(lang, Msg::SetsNone) }</p>
            } else {
                <ul class="plans" data-testid="province-set-list">
                    { for own.iter().map(|x| set_line(lang, x)) }
                </ul>
            }
            <form class="emulation-form" onsubmit={publish} novalidate=true data-testid="set-form">
                <div class="field">
                    <label for="set-base">{ s(lang, Msg::SetBase) }</label>
                    <select id="set-base">
                        { for bases.iter().enumerate().map(|(i, b)| html! {
                            <option value={b.id.clone()} selected={i == 0}>
                                { format!("{} (v{})", label(lang, b.unit_kind), b.version) }
                            </option>
                        }) }
                    </select>
                    { field_error(lang, &errors, "base") }
                </div>
                <div class="field">
                    <label for="set-scorecard">{ s(lang, Msg::SetScorecard) }</label>
                    <textarea id="set-scorecard" rows="6"
                        placeholder={s(lang, Msg::SetPlaceholder)} />
                    { field_error(lang, &errors, "scorecard") }
                    if !line_errors.is_empty() {
                        <ul class="field-error" id="err-scorecard-lines">
                            { for line_errors.iter().map(|(n, m)| html! {
                                <li>{ format!("{} {n}: {m}", s(lang, Msg::SetLine)) }</li>
                            }) }
                        </ul>
                    }
                </div>
                <div class="field">
                    <label for="set-source">{ s(lang, Msg::SetSource) }</label>
                    <input id="set-source" type="text" />
                    { field_error(lang, &errors, "scorecard_source") }
                </div>
                <fieldset>
                    <legend>{ s(lang, Msg::SetBands) }</legend>
                    <div class="field">
                        <label for="set-xuat-sac">{ label(lang, Classification::XuatSac) }</label>
                        <input id="set-xuat-sac" type="number" min="1" max="100" inputmode="numeric" />
                    </div>
                    <div class="field">
                        <label for="set-kha">{ label(lang, Classification::Kha) }</label>
                        <input id="set-kha" type="number" min="1" max="100" inputmode="numeric" />
                    </div>
                    <div class="field">
                        <label for="set-trung-binh">{ label(lang, Classification::TrungBinh) }</label>
                        <input id="set-trung-binh" type="number" min="1" max="100" inputmode="numeric" />
                    </div>
                    { field_error(lang, &errors, "bands") }
                </fieldset>
                <div class="field">
                    <label for="set-threshold">{ s(lang, Msg::SetThreshold) }</label>
                    <input id="set-threshold" type="number" min="1" max="100" inputmode="numeric" />
                    { field_error(lang, &errors, "children_threshold_percent") }
                </div>
                <div class="field">
                    <label for="set-hours">{ s(lang, Msg::SetHours) }</label>
                    <input id="set-hours" type="number" min="1" max="720" inputmode="numeric" />
                    { field_error(lang, &errors, "prompt_report_hours") }
                </div>
                { field_error(lang, &errors, "form") }
                <button class="primary" type="submit">{ s(lang, Msg::SetPublish) }</button>
                if let Some(id) = &*published {
                    <p class="muted" data-testid="set-published">
                        { s(lang, Msg::SetPublished) }{ ": " }<span data-data="">{ id.clone() }</span>
                    </p>
                }
            </form>
        </section>
    }
}
