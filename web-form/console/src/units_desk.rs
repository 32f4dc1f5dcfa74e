//! Adding a unit under the officer's own (a ward its residential areas, agencies, enterprises and
//! schools; a school its classes; an agency or enterprise its departments; the province its
//! communes): its kind and name, and for an agency, enterprise or school whether it is outside
//! Thông tư 124 (art. 1.2.b), recorded with it in one request.

use bvantq_shared::api::{CreateUnitRequest, UnitDetail};
use bvantq_shared::registration::{Exclusion, exclusion_fits};
use bvantq_shared::{Role, UnitKind};
use web_form::form::{FieldErrors, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, field_errors, select_value, value_of};
use crate::strings::{Msg, label, s};

#[derive(Properties, PartialEq)]
pub struct AddUnitProps {
    pub parent_code: String,
    pub parent_kind: UnitKind,
    /// Called with the unit added (the results are read again).
    pub on_added: Callback<()>,
}

/// The kinds `role` may add under a unit of `parent`.
fn kinds(role: Role, parent: UnitKind) -> Vec<UnitKind> {
    UnitKind::ALL
        .iter()
        .copied()
        .filter(|k| role.may_create(*k) && k.allowed_under(parent))
        .collect()
}

#[function_component(AddUnit)]
pub fn add_unit(p: &AddUnitProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    // The kind chosen in the list (the first one until another is chosen).
    let kind = use_state(|| None::<UnitKind>);
    let errors = use_state(FieldErrors::new);
    let added = use_state(|| None::<(String, String)>);
    let busy = use_state(|| false);
    let Some(auth) = auth else {
        return html! {};
    };
    // The kinds this officer may add here (its role and its unit).
    let Some(me) = auth.me() else {
        return html! {};
    };
    let choices = kinds(me.role, p.parent_kind);
    let chosen = match (*kind, choices.first()) {
        (Some(k), _) if choices.contains(&k) => k,
        (_, Some(first)) => *first,
        (_, None) => return html! {},
    };
    let on_kind = {
        let kind = kind.clone();
        // The options are the kinds listed: each reads back.
        Callback::from(move |e: Event| {
            if let Ok(k) = UnitKind::parse(&select_value(&e)) {
                kind.set(Some(k));
            }
        })
    };
    // The reasons of art. 1.2.b that fit the chosen kind (none for areas, classes, departments).
    let reasons: Vec<Exclusion> = Exclusion::ALL
        .iter()
        .copied()
        .filter(|x| exclusion_fits(chosen, *x))
        .collect();
    let submit = {
        let (auth, errors, added, busy, on_added) = (
            auth.clone(),
            errors.clone(),
            added.clone(),
            busy.clone(),
            p.on_added.clone(),
        );
        let parent = p.parent_code.clone();
        let with_reason = !reasons.is_empty();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let req = CreateUnitRequest {
                parent_code: parent.clone(),
                kind: value_of("unit-kind"),
                name: value_of("unit-name"),
                full_name: Some(value_of("unit-full-name")).filter(|f| !f.trim().is_empty()),
                exclusion: with_reason
                    .then(|| value_of("unit-exclusion"))
                    .filter(|x| !x.is_empty()),
            };
            let (auth, errors, added, busy, on_added) = (
                auth.clone(),
                errors.clone(),
                added.clone(),
                busy.clone(),
                on_added.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match auth.post::<_, UnitDetail>("/api/v1/units", &req).await {
                    Ok(d) => {
                        crate::helpers::clear_inputs(&["unit-name", "unit-full-name"]);
                        errors.set(FieldErrors::new());
                        added.set(Some((d.unit.full_name, d.unit.code)));
                        on_added.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section data-testid="add-unit">
            <h3>{ s(lang, Msg::AddUnit) }</h3>
            <form class="emulation-form" onsubmit={submit} novalidate=true data-testid="unit-form">
                <div class="field">
                    <label for="unit-kind">{ s(lang, Msg::UnitKindLabel) }</label>
                    <select id="unit-kind" onchange={on_kind}>
                        { for choices.iter().map(|k| html! {
                            <option value={k.as_str()} selected={*k == chosen}>{ label(lang, *k) }</option>
                        }) }
                    </select>
                    { field_error(lang, &errors, "kind") }
                </div>
                <div class="field">
                    <label for="unit-name">{ s(lang, Msg::UnitNameLabel) }</label>
                    <input id="unit-name" type="text" autocomplete="off" />
                    { field_error(lang, &errors, "name") }
                </div>
                <div class="field">
                    <label for="unit-full-name">{ s(lang, Msg::UnitFullNameLabel) }</label>
                    <input id="unit-full-name" type="text" autocomplete="off" />
                    { field_error(lang, &errors, "full_name") }
                </div>
                if !reasons.is_empty() {
                    <div class="field">
                        <label for="unit-exclusion">{ s(lang, Msg::UnitEligibility) }</label>
                        <select id="unit-exclusion">
                            <option value="" selected=true>{ s(lang, Msg::UnitInside) }</option>
                            { for reasons.iter().map(|x| html! {
                                <option value={x.as_str()}>{ label(lang, *x) }</option>
                            }) }
                        </select>
                        { field_error(lang, &errors, "exclusion") }
                    </div>
                }
                { field_error(lang, &errors, "parent_code") }
                { field_error(lang, &errors, "form") }
                if let Some((name, code)) = &*added {
                    <p class="met" role="status" data-testid="unit-added">
                        { s(lang, Msg::UnitAdded) }{ " " }<span data-data="">{ name.clone() }</span>
                        { " " }<span class="code" data-data="">{ code.clone() }</span>
                    </p>
                }
                <button class="primary" type="submit" disabled={*busy}>{ s(lang, Msg::AddUnitSave) }</button>
            </form>
        </section>
    }
}
