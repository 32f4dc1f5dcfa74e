//! bvantq's browser front end: the citizen forms — the pledge form (`/k/{code}`), the tip form
//! (`/to-giac`), the follow-up page (`/theo-doi`) and the unit picker (`/`) — Vietnamese first
//! with an English toggle. `form`, `i18n`, `outbox` and `request` are also the officer console's
//! helpers (`web-form/console`).
// The console links this crate without the `app` feature, and a page's part leaves the other
// pages out: what they do not draw is then unused.
#![cfg_attr(not(feature = "app"), allow(dead_code, unused_imports))]

mod commune_select;
mod follow_up;
pub mod form;
pub mod i18n;
mod indicators;
pub mod json;
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
use crate::i18n::{Lang, LangContext, t};
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

/// What the app draws in `<main>` for a path: one page's part (`./dev build-web` builds one wasm
/// per part, and each page loads only its own), or all of them routed by path (`app`).
type MainFor = fn(&str) -> Html;

#[derive(Properties)]
struct AppProps {
    main: MainFor,
}

impl PartialEq for AppProps {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.main, other.main)
    }
}

/// The language switch: the choice is kept for the next visit.
#[hook]
fn use_language() -> (Lang, Callback<MouseEvent>) {
    let lang = use_state(crate::i18n::load);
    let toggle = {
        let lang = lang.clone();
        Callback::from(move |_| {
            let next = lang.other();
            crate::i18n::store(next);
            lang.set(next);
        })
    };
    (*lang, toggle)
}

#[function_component(App)]
fn app(props: &AppProps) -> Html {
    let (l, toggle) = use_language();
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
            <main>{ (props.main)(&path()) }</main>
        </ContextProvider<LangContext>>
    }
}

#[derive(Properties, PartialEq)]
struct EmbeddedProps {
    code: String,
}

/// Inside another site's page: the pledge form alone, with the language switch.
#[function_component(Embedded)]
fn embedded(props: &EmbeddedProps) -> Html {
    let (l, toggle) = use_language();
    html! {
        <ContextProvider<LangContext> context={LangContext(l)}>
            <div class="bvantq-embed" lang={l.tag()}>
                <button class="lang embedded" onclick={toggle} lang={crate::i18n::other_lang(l)} title={t(l, Msg::SwitchLanguage)}>
                    { t(l, Msg::OtherLanguage) }
                </button>
                <PledgeForm code={props.code.clone()} />
            </div>
        </ContextProvider<LangContext>>
    }
}

/// The pledge form of `/k/{code}` (the pledge part; the server loads it on those pages only, and
/// `any_page` routes only those here).
fn pledge_page(page: &str) -> Html {
    match campaign_code(page) {
        Some(code) => html! { <PledgeForm {code} /> },
        None => html! {},
    }
}

/// `/to-giac` (the tip part).
fn tip_page(_: &str) -> Html {
    html! { <TipForm /> }
}

/// `/theo-doi` (the follow-up part).
fn follow_page(_: &str) -> Html {
    html! { <FollowUp /> }
}

/// `/` and any other address: the unit picker (the picker part).
fn picker_page(_: &str) -> Html {
    html! { <UnitPicker /> }
}

/// Every page, routed by path: the whole app in one wasm (`app`).
fn any_page(page: &str) -> Html {
    let page = page.trim_end_matches('/');
    if campaign_code(page).is_some() {
        pledge_page(page)
    } else if page == "/to-giac" {
        tip_page(page)
    } else if page == "/theo-doi" {
        follow_page(page)
    } else {
        picker_page(page)
    }
}

/// Mounts the app with `main` for its pages, or the pledge form alone when the host element
/// names a campaign (another site's page, through `/embed.js`).
fn start_with(main: MainFor, embeddable: bool) {
    match embedded_campaign().filter(|_| embeddable) {
        Some(code) => mount_with::<Embedded>(EmbeddedProps { code }),
        None => mount_with::<App>(AppProps { main }),
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

/// The entry point: the whole app (`app`, the default), or one page's part (`pledge`, `tip`,
/// `follow`, `picker`: one per build, with `--no-default-features`). None in the officer
/// console, which links this crate for its helpers and starts itself.
#[cfg(any(
    feature = "app",
    feature = "pledge",
    feature = "tip",
    feature = "follow",
    feature = "picker"
))]
#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(feature = "app")]
    start_with(any_page, true);
    #[cfg(all(feature = "pledge", not(feature = "app")))]
    start_with(pledge_page, true);
    #[cfg(all(feature = "tip", not(feature = "app")))]
    start_with(tip_page, false);
    #[cfg(all(feature = "follow", not(feature = "app")))]
    start_with(follow_page, false);
    #[cfg(all(feature = "picker", not(feature = "app")))]
    start_with(picker_page, false);
}

/// Renders `C` into the element with id `bvantq-app` of the page, or into the body: the citizen
/// app here, the officer console in `web-form/console`.
pub fn mount<C: BaseComponent<Properties = ()>>() {
    mount_with::<C>(());
}

/// [`mount`] for a component that takes properties.
pub fn mount_with<C: BaseComponent>(props: C::Properties) {
    let host = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("bvantq-app"));
    match host {
        Some(el) => {
            // A page the server drew: what is typed there carries over (see `takeover`).
            takeover::read(&el);
            yew::Renderer::<C>::with_root_and_props(el.clone(), props).render();
            takeover::after_mount(el);
        }
        None => {
            yew::Renderer::<C>::with_props(props).render();
        }
    }
}
