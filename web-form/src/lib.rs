//! bvantq's browser front end: the citizen forms — the pledge form (`/k/{code}`), the tip form
//! (`/to-giac`), the follow-up page (`/theo-doi`) and the unit picker (`/`) — Vietnamese first
//! with an English toggle. `form`, `i18n`, `outbox` and `request` are also the officer console's
//! helpers (`web-form/console`).
// The console links this crate without the `app` feature: the citizen app is then unused there.
#![cfg_attr(not(feature = "app"), allow(dead_code, unused_imports))]

mod commune_select;
mod follow_up;
pub mod form;
pub mod i18n;
mod indicators;
pub mod outbox;
pub mod photos;
mod pledge_form;
pub mod request;
mod takeover;
mod tip_form;
mod unit_picker;

use crate::i18n::Msg;
/// The string-table macro, where the console has always found it.
pub use bvantq_shared::messages;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::follow_up::FollowUp;
use crate::i18n::{LangContext, t};
use crate::pledge_form::PledgeForm;
use crate::tip_form::TipForm;
use crate::unit_picker::UnitPicker;

/// The host element's `data-campaign`: set when the form is embedded in another site's page.
fn embedded_campaign() -> Option<String> {
    web_sys::window()?
        .document()?
        .get_element_by_id("bvantq-app")?
        .get_attribute("data-campaign")
}

fn path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// The campaign code of an embedded form, or of a `/k/{code}` address.
fn campaign_code(path: &str) -> Option<String> {
    embedded_campaign().or_else(|| {
        path.strip_prefix("/k/")
            .map(|c| c.trim_end_matches('/').to_string())
            .filter(|c| !c.is_empty())
    })
}

#[function_component(App)]
fn app() -> Html {
    let lang = use_state(crate::i18n::load);
    let toggle = {
        let lang = lang.clone();
        Callback::from(move |_| {
            let next = lang.other();
            crate::i18n::store(next);
            lang.set(next);
        })
    };
    let l = *lang;
    let page = path();
    if let Some(code) = embedded_campaign() {
        // Inside another site's page: the form alone, with the language switch.
        return html! {
            <ContextProvider<LangContext> context={LangContext(l)}>
                <div class="bvantq-embed">
                    <button class="lang embedded" onclick={toggle} lang={crate::i18n::other_lang(l)} title={t(l, Msg::SwitchLanguage)}>
                        { t(l, Msg::OtherLanguage) }
                    </button>
                    <PledgeForm {code} />
                </div>
            </ContextProvider<LangContext>>
        };
    }
    html! {
        <ContextProvider<LangContext> context={LangContext(l)}>
            <header class="bar">
                <h1>{ t(l, Msg::Title) }</h1>
                <button class="lang" onclick={toggle} lang={crate::i18n::other_lang(l)} title={t(l, Msg::SwitchLanguage)}>
                    { t(l, Msg::OtherLanguage) }
                </button>
            </header>
            <nav class="links">
                <a href="/to-giac">{ t(l, Msg::NavTip) }</a>
                <a href="/theo-doi">{ t(l, Msg::NavFollow) }</a>
            </nav>
            <main>
                if let Some(code) = campaign_code(&page) {
                    <PledgeForm {code} />
                } else if page.trim_end_matches('/') == "/to-giac" {
                    <TipForm />
                } else if page.trim_end_matches('/') == "/theo-doi" {
                    <FollowUp />
                } else {
                    <UnitPicker />
                }
            </main>
        </ContextProvider<LangContext>>
    }
}

/// Marks the moment a page became usable (its form rendered, with its handlers attached) as the
/// User Timing mark `bvantq-ready`: what `./dev bench` reads to time a first load, and what field
/// monitoring can read too.
pub(crate) fn mark_ready() {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        // Once per page: a later re-render is not a new first load.
        if p.get_entries_by_name("bvantq-ready").length() == 0 {
            let _ = p.mark("bvantq-ready");
        }
    }
}

/// Mounts the app in the element with id `bvantq-app` (or the body).
#[cfg(feature = "app")]
#[wasm_bindgen(start)]
pub fn start() {
    mount::<App>();
}

/// Renders `C` into the element with id `bvantq-app` of the page, or into the body: the citizen
/// app here, the officer console in `web-form/console`.
pub fn mount<C: BaseComponent<Properties = ()>>() {
    let host = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("bvantq-app"));
    match host {
        Some(el) => {
            // A page the server drew: what is typed there carries over (see `takeover`).
            takeover::read(&el);
            yew::Renderer::<C>::with_root(el.clone()).render();
            takeover::after_mount(el);
        }
        None => {
            yew::Renderer::<C>::new().render();
        }
    }
}
