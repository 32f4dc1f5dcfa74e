//! Pledge campaigns, as a ward officer (households), a school admin (classes) or an enterprise or
//! agency admin (departments) runs them: the campaigns of their scope, a new one, and for each
//! its code, QR code and link to share, its signing window, coverage, roster import with the
//! per-row report, the pledges signed (search, verify, void with a reason) and the exports.

use crate::strings::Msg;
use bvantq_shared::pledge::CampaignDto;
use bvantq_shared::{PledgeKind, Role};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure};
use crate::strings::{pick, s};

mod new;
mod pledges;
mod roster;
mod view;

use new::*;
use pledges::*;
use roster::*;
use view::*;

/// The audience a role runs campaigns for, from its own scope unit (province officers and
/// administrators see and manage campaigns, but a campaign is started where it is run).
pub fn audience_of(role: Role) -> Option<PledgeKind> {
    match role {
        Role::WardOfficer => Some(PledgeKind::Household),
        Role::SchoolAdmin => Some(PledgeKind::Student),
        Role::OrgAdmin => Some(PledgeKind::Worker),
        Role::ProvinceOfficer
        | Role::Admin
        | Role::CommuneHead
        | Role::Investigator
        | Role::AreaHead
        | Role::CommuneLeader
        | Role::EducationOfficer
        | Role::FormTeacher => None,
    }
}

/// Today on the officer's computer, `YYYY-MM-DD`.
fn today() -> (i32, String) {
    let d = js_sys::Date::new_0();
    let y = d.get_full_year() as i32;
    (
        y,
        format!("{y:04}-{:02}-{:02}", d.get_month() + 1, d.get_date()),
    )
}

#[function_component(Campaigns)]
pub fn campaigns() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let list = use_state(|| Load::<Vec<CampaignDto>>::Loading);
    let open = use_state(|| None::<String>);
    let creating = use_state(|| false);
    let reload = use_state(|| 0u32);
    {
        let (auth, list) = (auth.clone(), list.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match auth.get::<Vec<CampaignDto>>("/api/v1/campaigns").await {
                    Ok(v) => list.set(Load::Ready(v)),
                    Err(e) => list.set(Load::Failed(failure(lang, &e))),
                }
            });
        });
    }
    let kind = auth.me().and_then(|m| audience_of(m.role));
    if *creating && let Some(kind) = kind {
        let on_done = {
            let (creating, open, reload) = (creating.clone(), open.clone(), reload.clone());
            Callback::from(move |created: Option<CampaignDto>| {
                creating.set(false);
                if let Some(c) = created {
                    open.set(Some(c.code));
                    reload.set(*reload + 1);
                }
            })
        };
        return html! { <NewCampaign {kind} {on_done} /> };
    }
    if let (Some(code), Load::Ready(v)) = (&*open, &*list)
        && let Some(c) = v.iter().find(|c| &c.code == code)
    {
        let on_close = {
            let open = open.clone();
            Callback::from(move |_| open.set(None))
        };
        let on_changed = {
            let reload = reload.clone();
            Callback::from(move |_| reload.set(*reload + 1))
        };
        return html! { <CampaignView campaign={c.clone()} {on_close} {on_changed} /> };
    }
    let new = {
        let creating = creating.clone();
        Callback::from(move |_| creating.set(true))
    };
    html! {
        <section class="campaigns">
            <h2>{ s(lang, Msg::Campaigns) }</h2>
            if kind.is_some() {
                <button class="secondary" onclick={new} data-testid="new-campaign">{ s(lang, Msg::NewCampaign) }</button>
            }
            {
                match &*list {
                    Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
                    Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                    Load::Ready(v) if v.is_empty() => html! { <p class="muted">{ s(lang, Msg::NoCampaigns) }</p> },
                    Load::Ready(v) => html! {
                        <ul class="queue" data-testid="campaigns">
                            { for v.iter().map(|c| {
                                let onclick = {
                                    let (open, code) = (open.clone(), c.code.clone());
                                    Callback::from(move |_| open.set(Some(code.clone())))
                                };
                                html! {
                                    <li>
                                        <button class="tip-open" {onclick}>
                                            <span class="row-top">
                                                <strong data-data="">{ c.title.clone() }</strong>
                                                <span class="code" data-data="">{ c.code.clone() }</span>
                                            </span>
                                            <span class="row-meta">
                                                { pick(lang, c.kind.label_vi(), c.kind.label_en()) }
                                                { " · " }{ c.year }{ " · " }
                                                { web_form::form::day(c.opens_on) }{ " – " }{ web_form::form::day(c.closes_on) }
                                            </span>
                                            <span class="row-meta" data-data="">
                                                { c.units.iter().map(|u| u.name.clone()).collect::<Vec<_>>().join(", ") }
                                            </span>
                                        </button>
                                    </li>
                                }
                            }) }
                        </ul>
                    },
                }
            }
        </section>
    }
}
