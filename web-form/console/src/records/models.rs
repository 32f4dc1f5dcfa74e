//! A commune's self-managed models: who keeps one and whether it counts this year, a form to add
//! one, and the year's review (with the day a model stopped).

use bvantq_shared::ValidationError;
use bvantq_shared::records::{ModelBoard, ModelKind, ModelRating, ModelRequest, RatingRequest};
use web_form::form::{FieldErrors, add_error, day, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use super::{date_of, required_date_of, share_text};
use crate::api::AuthHandle;
use crate::helpers::{Ctx, field_errors, value_of};
use crate::strings::{Msg, label, s};

#[derive(Properties, PartialEq)]
pub(super) struct ModelsProps {
    pub board: ModelBoard,
    pub done: Callback<()>,
}

#[function_component(Models)]
pub(super) fn models(p: &ModelsProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let errors = use_state(FieldErrors::new);
    let rate_errors = use_state(FieldErrors::new);
    let b = &p.board;
    let add = {
        let (auth, errors, done) = (auth.clone(), errors.clone(), p.done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut bad = FieldErrors::new();
            let started = required_date_of("model-start", "started_on", &mut bad);
            let members = value_of("model-members").trim().parse::<i64>();
            if members.is_err() {
                let e = ValidationError::OutOfRange {
                    min: 1,
                    max: bvantq_shared::records::MODEL_MEMBERS_MAX,
                };
                add_error(&mut bad, &e.on("members"));
            }
            let (Some(started_on), Ok(members)) = (started, members) else {
                errors.set(bad);
                return;
            };
            let req = ModelRequest {
                name: value_of("model-name"),
                kind: value_of("model-kind"),
                started_on,
                members,
                retired_on: None,
            };
            let code = value_of("model-unit");
            let (auth, errors, done) = (auth.clone(), errors.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/units/{code}/models");
                match auth
                    .post::<_, bvantq_shared::records::Model>(&url, &req)
                    .await
                {
                    Ok(_) => {
                        errors.set(FieldErrors::new());
                        done.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let all: Vec<bvantq_shared::records::Model> =
        b.lines.iter().flat_map(|l| l.models.clone()).collect();
    let rate = {
        let (auth, errors, done, all) = (
            auth.clone(),
            rate_errors.clone(),
            p.done.clone(),
            all.clone(),
        );
        let year = b.year;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut bad = FieldErrors::new();
            let Some(retired) = date_of("rate-retired", "retired_on", &mut bad) else {
                errors.set(bad);
                return;
            };
            let id = value_of("rate-model");
            let Some(m) = all.iter().find(|m| m.id == id).cloned() else {
                return;
            };
            let req = RatingRequest {
                rating: value_of("rate-value"),
            };
            let (auth, errors, done) = (auth.clone(), errors.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/models/{id}/ratings/{year}");
                if let Err(e) = auth
                    .put::<_, bvantq_shared::records::Model>(&url, &req)
                    .await
                {
                    errors.set(field_errors(&e));
                    return;
                }
                // A day of retirement rewrites the model as it stands, that day added.
                if let Some(r) = retired {
                    let edit = ModelRequest {
                        name: m.name.clone(),
                        kind: m.kind.as_str().into(),
                        started_on: m.started_on,
                        members: m.members,
                        retired_on: Some(r),
                    };
                    let url = format!("/api/v1/models/{id}");
                    if let Err(e) = auth
                        .put::<_, bvantq_shared::records::Model>(&url, &edit)
                        .await
                    {
                        errors.set(field_errors(&e));
                        return;
                    }
                }
                errors.set(FieldErrors::new());
                done.emit(());
            });
        })
    };
    html! {
        <>
            <p data-testid="model-share">
                { share_text(lang, b.share.counted, b.share.units, b.share.percent, Msg::ModelsShare) }
            </p>
            <p class="hint">{ s(lang, Msg::ModelsRule) }</p>
            <ul class="plans" data-testid="model-units">
                { for b.lines.iter().filter(|l| !l.models.is_empty()).map(|l| html! {
                    <li>
                        <strong data-data="">{ l.unit_name.clone() }</strong>
                        if l.counts { { " ✓ " }{ s(lang, Msg::Counts) } }
                        <ul>
                            { for l.models.iter().map(|m| html! {
                                <li class="row-meta">
                                    <span data-data="">{ m.name.clone() }</span>
                                    { format!(" · {} · {} {} · {} {}", label(lang, m.kind), s(lang, Msg::Since), day(m.started_on), m.members, s(lang, Msg::ModelMembers)) }
                                    { " · " }
                                    { match m.rating {
                                        Some(r) => label(lang, r),
                                        None => s(lang, Msg::NotRated),
                                    } }
                                    if let Some(r) = m.retired_on {
                                        { format!(" · {} {}", s(lang, Msg::RetiredOn), day(r)) }
                                    }
                                </li>
                            }) }
                        </ul>
                    </li>
                }) }
            </ul>
            <form class="emulation-form" onsubmit={add} novalidate=true data-testid="model-form">
                <h4>{ s(lang, Msg::ModelAdd) }</h4>
                <div class="field">
                    <label for="model-unit">{ s(lang, Msg::Unit) }</label>
                    <select id="model-unit">
                        { for b.lines.iter().map(|l| html! {
                            <option value={l.unit_code.clone()} data-data="">{ l.unit_name.clone() }</option>
                        }) }
                    </select>
                    { field_error(lang, &errors, "code") }
                </div>
                <div class="field">
                    <label for="model-name">{ s(lang, Msg::ModelName) }</label>
                    <input id="model-name" type="text" />
                    { field_error(lang, &errors, "name") }
                </div>
                <div class="field">
                    <label for="model-kind">{ s(lang, Msg::ModelKindLabel) }</label>
                    <select id="model-kind">
                        { for ModelKind::ALL.iter().map(|k| html! {
                            <option value={k.as_str()}>{ label(lang, *k) }</option>
                        }) }
                    </select>
                    { field_error(lang, &errors, "kind") }
                </div>
                <div class="field">
                    <label for="model-start">{ s(lang, Msg::ModelStart) }</label>
                    <input id="model-start" type="date" />
                    { field_error(lang, &errors, "started_on") }
                </div>
                <div class="field">
                    <label for="model-members">{ s(lang, Msg::ModelMembersInput) }</label>
                    <input id="model-members" type="text" inputmode="numeric" />
                    { field_error(lang, &errors, "members") }
                </div>
                { field_error(lang, &errors, "form") }
                <button class="primary" type="submit">{ s(lang, Msg::ModelAdd) }</button>
            </form>
            if !all.is_empty() {
                <form class="emulation-form" onsubmit={rate} novalidate=true data-testid="model-rate-form">
                    <h4>{ format!("{} {}", s(lang, Msg::ModelReview), b.year) }</h4>
                    <div class="field">
                        <label for="rate-model">{ s(lang, Msg::ModelName) }</label>
                        <select id="rate-model">
                            { for all.iter().map(|m| html! {
                                <option value={m.id.clone()} data-data="">{ m.name.clone() }</option>
                            }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="rate-value">{ s(lang, Msg::Rating) }</label>
                        <select id="rate-value">
                            { for ModelRating::ALL.iter().map(|r| html! {
                                <option value={r.as_str()}>{ label(lang, *r) }</option>
                            }) }
                        </select>
                        { field_error(lang, &rate_errors, "rating") }
                        { field_error(lang, &rate_errors, "year") }
                    </div>
                    <div class="field">
                        <label for="rate-retired">{ s(lang, Msg::RetiredOnInput) }</label>
                        <input id="rate-retired" type="date" />
                        { field_error(lang, &rate_errors, "retired_on") }
                    </div>
                    { field_error(lang, &rate_errors, "form") }
                    <button class="primary" type="submit">{ s(lang, Msg::SaveReview) }</button>
                </form>
            }
        </>
    }
}
