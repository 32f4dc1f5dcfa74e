//! The unit picker: provinces, then the communes of one, filtered as you type (without
//! diacritics, with the same folding the server uses).

use crate::i18n::Msg;
use bvantq_shared::api::{UnitDto, UnitPage};
use bvantq_shared::text::fold;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{LangContext, t};
use crate::request::get_json;

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Ready(Vec<UnitDto>),
    Failed,
}

fn load(url: String, into: UseStateHandle<Load>) {
    into.set(Load::Loading);
    wasm_bindgen_futures::spawn_local(async move {
        match get_json::<UnitPage>(&url).await {
            Ok(page) => into.set(Load::Ready(page.items)),
            Err(_) => into.set(Load::Failed),
        }
    });
}

#[function_component(UnitPicker)]
pub fn unit_picker() -> Html {
    let lang = use_context::<LangContext>()
        .map(|c| c.0)
        .unwrap_or(crate::i18n::Lang::Vi);
    let province = use_state(|| None::<UnitDto>);
    let units = use_state(|| Load::Loading);
    let query = use_state(String::new);
    let reload = use_state(|| 0u32);

    {
        let units = units.clone();
        let query = query.clone();
        use_effect_with(((*province).clone(), *reload), move |(p, _)| {
            query.set(String::new());
            let url = match p {
                None => "/api/v1/units?kind=province&limit=1000".to_string(),
                Some(p) => format!("/api/v1/units?parent={}&limit=1000", p.code),
            };
            load(url, units);
        });
    }

    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            query.set(input.value());
        })
    };
    let back = {
        let province = province.clone();
        Callback::from(move |_| province.set(None))
    };
    let retry = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };

    let heading = match &*province {
        None => t(lang, Msg::Provinces).to_string(),
        Some(p) => format!("{} {}", t(lang, Msg::CommunesOf), p.full_name),
    };
    let needle = fold(&query);
    let body = match &*units {
        Load::Loading => html! { <p class="muted" role="status">{ t(lang, Msg::Loading) }</p> },
        Load::Failed => html! {
            <p class="error" role="alert">{ t(lang, Msg::LoadFailed) }{" "}
                <button onclick={retry}>{ t(lang, Msg::Retry) }</button></p>
        },
        Load::Ready(list) => {
            let shown: Vec<&UnitDto> = list
                .iter()
                .filter(|u| {
                    needle.is_empty()
                        || u.name_ascii.contains(&needle)
                        || fold(&u.full_name).contains(&needle)
                })
                .collect();
            if shown.is_empty() {
                html! { <p class="muted">{ t(lang, Msg::NoneFound) }</p> }
            } else {
                let items = shown.into_iter().map(|u| {
                    let unit = u.clone();
                    let is_province = province.is_none();
                    let province = province.clone();
                    let onclick = Callback::from(move |_| {
                        if is_province {
                            province.set(Some(unit.clone()))
                        }
                    });
                    html! {
                        <li key={u.code.clone()}>
                            if is_province {
                                <button class="unit" {onclick}>
                                    <span class="name">{ &u.full_name }</span>
                                    <span class="code">{ &u.code }</span>
                                </button>
                            } else {
                                <div class="unit">
                                    <span class="name">{ &u.full_name }</span>
                                    <span class="code">{ &u.code }</span>
                                </div>
                            }
                        </li>
                    }
                });
                html! { <ul class="units" data-testid="units">{ for items }</ul> }
            }
        }
    };
    let count = match &*units {
        Load::Ready(l) => format!("{} {}", l.len(), t(lang, Msg::Count)),
        _ => String::new(),
    };

    html! {
        <section class="picker">
            if province.is_some() {
                <button class="back" onclick={back}>{ t(lang, Msg::Back) }</button>
            } else {
                <p class="muted">{ t(lang, Msg::PickProvince) }</p>
            }
            <h2>{ heading }</h2>
            <label for="unit-search">{ t(lang, Msg::Search) }</label>
            <input id="unit-search" type="search" autocomplete="off"
                placeholder={t(lang, Msg::SearchPlaceholder)} value={(*query).clone()} {oninput} />
            <p class="muted count" aria-live="polite">{ count }</p>
            { body }
        </section>
    }
}
