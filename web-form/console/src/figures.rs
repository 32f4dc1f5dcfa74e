//! Entering the figure of a target the plan words itself (`manual`): on the results page, a
//! province officer types the unit's figure for the period beside the target and saves it; the
//! page reads the dashboard again and shows it met or not.

use bvantq_shared::ValidationError;
use bvantq_shared::plan::figures::{EnteredFigure, FigureRequest};
use web_form::form::{FieldErrors, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, field_errors, input_value};
use crate::strings::{Msg, s};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The target's name, in the page's language.
    pub name: String,
    pub plan_id: String,
    pub seq: i32,
    pub unit: String,
    pub period: i32,
    pub current: Option<f64>,
    pub on_saved: Callback<()>,
}

#[function_component(FigureEntry)]
pub fn figure_entry(props: &Props) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let input = use_node_ref();
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let id = format!("figure-{}", props.seq);
    let submit = {
        let (auth, input, errors, busy) =
            (auth.clone(), input.clone(), errors.clone(), busy.clone());
        let (plan, seq, unit, period, done) = (
            props.plan_id.clone(),
            props.seq,
            props.unit.clone(),
            props.period,
            props.on_saved.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // A figure that does not read as a number is named here, never sent as another.
            let raw = input_value(&input).trim().replace(',', ".");
            let Ok(value) = raw.parse::<f64>() else {
                let e = ValidationError::Required;
                let mut m = FieldErrors::new();
                m.insert("value".into(), (e.message_vi(), e.message_en()));
                errors.set(m);
                return;
            };
            let body = FigureRequest {
                seq,
                unit: unit.clone(),
                period,
                value,
            };
            let (auth, errors, busy, done, plan) = (
                auth.clone(),
                errors.clone(),
                busy.clone(),
                done.clone(),
                plan.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/plans/{plan}/figures");
                match auth.put::<_, EnteredFigure>(&url, &body).await {
                    Ok(_) => {
                        errors.set(FieldErrors::new());
                        done.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
                busy.set(false);
            });
        })
    };
    let current = props
        .current
        .map(|v| bvantq_shared::plan::figure(v, lang == Lang::Vi));
    html! {
        <form class="figure-entry" onsubmit={submit} data-testid={id.clone()} novalidate=true>
            <label for={id.clone()}>{ format!("{}: ", s(lang, Msg::FigureEnter)) }<span data-data="">{ props.name.clone() }</span></label>
            <input id={id.clone()} ref={input} type="text" inputmode="decimal" value={current} />
            <button type="submit" class="secondary" disabled={*busy}>{ s(lang, Msg::FigureSave) }</button>
            { field_error(lang, &errors, "value") }
            { field_error(lang, &errors, "seq") }
            { field_error(lang, &errors, "form") }
        </form>
    }
}
