//! Choosing the commune where something happened: a province, then its communes filtered as you
//! type (diacritics optional, the same folding the server uses).

use crate::i18n::Msg;
use bvantq_shared::api::{UnitDto, UnitPage};
use bvantq_shared::text::{fold, match_tier};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::{Lang, LangContext, t};
use crate::request::get_json;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// (code, full name) of the chosen commune.
    pub on_select: Callback<(String, String)>,
    pub chosen: Option<(String, String)>,
    pub invalid: bool,
}

#[function_component(CommuneSelect)]
pub fn commune_select(props: &Props) -> Html {
    let lang = use_context::<LangContext>()
        .map(|c| c.0)
        .unwrap_or(Lang::Vi);
    // The provinces the server put in the page it drew, and what was chosen and typed there.
    let drawn = use_memo((), |_| crate::takeover::data::<UnitPage>().map(|p| p.items));
    let provinces = use_state(|| (*drawn).clone().unwrap_or_else(Vec::new));
    let province = use_state(|| crate::takeover::typed("province"));
    let communes = use_state(Vec::<UnitDto>::new);
    let query = use_state(|| crate::takeover::typed("commune-search"));
    {
        let provinces = provinces.clone();
        let drawn = drawn.is_some();
        use_effect_with((), move |_| {
            if drawn {
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(p) = get_json::<UnitPage>("/api/v1/units?kind=province&limit=1000").await
                {
                    provinces.set(p.items);
                }
            });
        });
    }
    {
        let communes = communes.clone();
        use_effect_with((*province).clone(), move |p| {
            let p = p.clone();
            communes.set(Vec::new());
            if !p.is_empty() {
                wasm_bindgen_futures::spawn_local(async move {
                    let url = format!("/api/v1/units?parent={p}&kind=commune&limit=1000");
                    if let Ok(c) = get_json::<UnitPage>(&url).await {
                        communes.set(c.items);
                    }
                });
            }
        });
    }
    let on_province = {
        let province = province.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            province.set(s.value());
        })
    };
    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            query.set(i.value());
        })
    };
    let needle = fold(&query);
    // The name typed first, then names starting with it, then a word starting with it, then the
    // rest (`shared::text::match_tier`, as the server's search ranks); code order within.
    let mut ranked: Vec<(u8, &UnitDto)> = communes
        .iter()
        .filter_map(|u| {
            let tier = match_tier(&u.name_ascii, &needle)
                .or_else(|| fold(&u.full_name).contains(&needle).then_some(4))?;
            Some((tier, u))
        })
        .collect();
    ranked.sort_by_key(|(tier, _)| *tier);
    let shown: Vec<&UnitDto> = ranked.into_iter().map(|(_, u)| u).take(30).collect();
    html! {
        <div class="field commune-select">
            <label for="province">{ t(lang, Msg::Province) }</label>
            <select id="province" onchange={on_province}>
                <option value="">{ t(lang, Msg::Choose) }</option>
                { for provinces.iter().map(|p| html! {
                    <option value={p.code.clone()} selected={*province == p.code}>{ &p.full_name }</option>
                }) }
            </select>
            if let Some((_, name)) = &props.chosen {
                <p class="chosen" data-testid="commune-chosen">{ t(lang, Msg::CommuneChosen) }{ " " }<strong>{ name }</strong></p>
            }
            if !province.is_empty() {
                <label for="commune-search">{ t(lang, Msg::CommuneSearch) }</label>
                <input id="commune-search" type="search" autocomplete="off" value={(*query).clone()}
                    oninput={on_query} aria-invalid={props.invalid.then_some("true")}
                    aria-describedby={props.invalid.then_some("err-commune_code")} />
                <ul class="units" data-testid="communes">
                    { for shown.into_iter().map(|u| {
                        let pick = (u.code.clone(), u.full_name.clone());
                        let on_select = props.on_select.clone();
                        let onclick = Callback::from(move |_| on_select.emit(pick.clone()));
                        html! {
                            <li key={u.code.clone()}>
                                <button type="button" class="unit" {onclick}>
                                    <span class="name">{ &u.full_name }</span>
                                    <span class="code">{ &u.code }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}
