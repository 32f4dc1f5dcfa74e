//! bvantq's officer console, served at `/console`: an officer signs in and works the tip queue
//! of their scope — open tips against the legal clock (BLTTHS art. 147), a tip's content (each
//! read audited by the server), the thread with the reporter, internal notes, the workflow with a
//! reason on every step, extensions, assignment and priority.
//!
//! A separate wasm from the citizen form, so the form's download stays within its budget. It
//! shares the form's helpers (language, field errors, requests) and the `shared` parsers, so a
//! reason or a message is checked here exactly as the server checks it.

mod accounts;
mod alerts;
mod annual;
mod api;
mod assess;
mod calendar;
mod campaigns;
mod charts;
mod class_sheet;
mod country;
mod criteria_sets;
mod deadlines;
mod desk;
mod disputes;
mod emulation;
mod festival;
mod figures;
mod helpers;
mod indicators;
mod login;
mod oversight;
mod plans;
mod procedure;
mod records;
mod results;
mod schools;
mod strings;
mod templates;
mod tip_view;
mod units_desk;

use crate::strings::Msg;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use bvantq_shared::Role;
use bvantq_shared::api::UnitDetail;

use crate::accounts::{Accounts, ChangePassword};
use crate::api::{AuthHandle, Session};
use crate::assess::Assessments;
use crate::campaigns::{Campaigns, audience_of};
use crate::desk::Desk;
use crate::helpers::Ctx;
use crate::login::Login;
use crate::results::Results;
use crate::strings::{pick, s};

/// The console's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Tips,
    Campaigns,
    Assess,
    Results,
    Accounts,
    Templates,
    Password,
    Schools,
    Class,
    Country,
}

/// Whether a role works tips (the server says the same: the commune police and the assigned
/// head, the investigating body, the province, administrators).
fn works_tips(role: Role) -> bool {
    matches!(
        role,
        Role::WardOfficer
            | Role::CommuneHead
            | Role::Investigator
            | Role::ProvinceOfficer
            | Role::Admin
    )
}

#[function_component(App)]
fn app() -> Html {
    let lang = use_state(web_form::i18n::load);
    let l = *lang;
    let expired = use_state(|| false);
    let auth = use_state(|| None::<AuthHandle>);
    let on_expired = {
        let (auth, expired) = (auth.clone(), expired.clone());
        Callback::from(move |_| {
            auth.set(None);
            expired.set(true);
        })
    };
    {
        // A reload keeps this tab's session.
        let (auth, on_expired) = (auth.clone(), on_expired.clone());
        use_effect_with((), move |_| {
            if let Some(s) = Session::load() {
                auth.set(Some(AuthHandle::new(s, on_expired)));
            }
        });
    }
    let on_login = {
        let (auth, expired, on_expired) = (auth.clone(), expired.clone(), on_expired.clone());
        Callback::from(move |s: Session| {
            expired.set(false);
            auth.set(Some(AuthHandle::new(s, on_expired.clone())));
        })
    };
    let toggle = {
        let lang = lang.clone();
        Callback::from(move |_| {
            let next = lang.other();
            web_form::i18n::store(next);
            lang.set(next);
        })
    };
    let logout = {
        let auth = auth.clone();
        Callback::from(move |_| {
            if let Some(a) = (*auth).clone() {
                let auth = auth.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    a.logout().await;
                    auth.set(None);
                });
            }
        })
    };
    let who = (*auth).as_ref().and_then(|a| a.me());
    let chosen = use_state(|| None::<View>);
    let tips_ok = who.as_ref().is_some_and(|m| works_tips(m.role));
    // Who may set up accounts (province officers, wards for their schools and enterprises).
    let grants = who
        .as_ref()
        .is_some_and(|m| Role::ALL.iter().any(|r| m.role.may_grant(*r)));
    // Who owns pledge templates: a province's officers, administrators (national ones).
    let owns_templates = who
        .as_ref()
        .is_some_and(|m| matches!(m.role, Role::ProvinceOfficer | Role::Admin));
    // The heads of residential areas and the commune's leaders assess and recognise; they keep
    // no campaign.
    let keeps_campaigns = who.as_ref().is_some_and(|m| {
        !matches!(
            m.role,
            Role::AreaHead | Role::CommuneLeader | Role::EducationOfficer | Role::FormTeacher
        )
    });
    // The education department works from its schools; the province's officers see them too.
    let sees_schools = who.as_ref().is_some_and(|m| {
        matches!(
            m.role,
            Role::EducationOfficer | Role::ProvinceOfficer | Role::Admin
        )
    });
    let education = who
        .as_ref()
        .is_some_and(|m| m.role == Role::EducationOfficer);
    // A form teacher has its class only.
    let teacher = who.as_ref().is_some_and(|m| m.role == Role::FormTeacher);
    // The administrators see the country (their scope is every province).
    let national = who.as_ref().is_some_and(|m| m.role == Role::Admin);
    let view = match *chosen {
        Some(View::Password) if teacher => View::Password,
        Some(View::Country) if national => View::Country,
        _ if teacher => View::Class,
        Some(View::Schools) if sees_schools => View::Schools,
        Some(View::Tips) if tips_ok => View::Tips,
        Some(View::Templates) if owns_templates => View::Templates,
        Some(View::Accounts) if grants => View::Accounts,
        Some(View::Password) => View::Password,
        Some(View::Campaigns) if keeps_campaigns => View::Campaigns,
        Some(v @ (View::Results | View::Assess)) if !education => v,
        _ if tips_ok => View::Tips,
        _ if education => View::Schools,
        // The heads of residential areas and the commune's leaders come for assessments.
        _ if !keeps_campaigns => View::Assess,
        // School and enterprise admins start where their work is: their campaigns.
        _ if who.as_ref().and_then(|m| audience_of(m.role)).is_some() => View::Campaigns,
        _ => View::Results,
    };
    // A notice's "open the tip": the tips view, on that tip.
    let requested = use_state(|| None::<String>);
    let open_tip = {
        let (requested, chosen) = (requested.clone(), chosen.clone());
        Callback::from(move |id: String| {
            requested.set(Some(id));
            chosen.set(Some(View::Tips));
        })
    };
    let show = |v: View| {
        let chosen = chosen.clone();
        Callback::from(move |_| chosen.set(Some(v)))
    };
    // The scope unit's name, for the bar (a public lookup).
    let scope_name = use_state(String::new);
    {
        let scope_name = scope_name.clone();
        let code = who.as_ref().map(|m| m.scope_unit.clone());
        use_effect_with(code, move |code| {
            if let Some(code) = code.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let url = format!("/api/v1/units/{code}");
                    if let Ok(u) = web_form::request::get_json::<UnitDetail>(&url).await {
                        scope_name.set(u.unit.full_name);
                    }
                });
            }
        });
    }
    html! {
        <ContextProvider<Ctx> context={Ctx(l)}>
            <header class="bar">
                <h1>{ s(l, Msg::Title) }</h1>
                <button class="lang" onclick={toggle} lang={web_form::i18n::other_lang(l)} title={s(l, Msg::SwitchLanguage)}>
                    { s(l, Msg::OtherLanguage) }
                </button>
            </header>
            if let Some(me) = &who {
                <nav class="links who-bar">
                    <span data-testid="who">
                        <span data-data="">{ me.username.clone().unwrap_or_default() }</span>
                        { " · " }{ pick(l, me.role.label_vi(), me.role.label_en()) }
                        { " · " }<span data-data="">{ (*scope_name).clone() }</span>
                        { " " }<span class="code" data-data="">{ me.scope_unit.clone() }</span>
                    </span>
                    <span class="toolbar">
                        <button class="secondary" onclick={show(View::Password)}>{ s(l, Msg::ChangePassword) }</button>
                        <button class="secondary sign-out" onclick={logout}>{ s(l, Msg::SignOut) }</button>
                    </span>
                </nav>
                <nav class="sections" aria-label={s(l, Msg::Sections)}>
                    if tips_ok {
                        <button class="tab" aria-current={(view == View::Tips).then_some("page")}
                            onclick={show(View::Tips)}>{ s(l, Msg::NavTips) }</button>
                    }
                    if keeps_campaigns {
                        <button class="tab" aria-current={(view == View::Campaigns).then_some("page")}
                            onclick={show(View::Campaigns)}>{ s(l, Msg::NavCampaigns) }</button>
                    }
                    if sees_schools {
                        <button class="tab" aria-current={(view == View::Schools).then_some("page")}
                            onclick={show(View::Schools)} data-testid="nav-schools">{ s(l, Msg::NavSchools) }</button>
                    }
                    if teacher {
                        <button class="tab" aria-current={(view == View::Class).then_some("page")}
                            onclick={show(View::Class)}>{ s(l, Msg::NavClass) }</button>
                    }
                    if !education && !teacher {
                        <button class="tab" aria-current={(view == View::Assess).then_some("page")}
                            onclick={show(View::Assess)}>{ s(l, Msg::NavAssess) }</button>
                        <button class="tab" aria-current={(view == View::Results).then_some("page")}
                            onclick={show(View::Results)}>{ s(l, Msg::NavResults) }</button>
                    }
                    if national {
                        <button class="tab" aria-current={(view == View::Country).then_some("page")}
                            onclick={show(View::Country)} data-testid="nav-country">{ s(l, Msg::NavCountry) }</button>
                    }
                    if owns_templates {
                        <button class="tab" aria-current={(view == View::Templates).then_some("page")}
                            onclick={show(View::Templates)} data-testid="nav-templates">{ s(l, Msg::NavTemplates) }</button>
                    }
                    if grants {
                        <button class="tab" aria-current={(view == View::Accounts).then_some("page")}
                            onclick={show(View::Accounts)}>{ s(l, Msg::NavAccounts) }</button>
                    }
                </nav>
            }
            <main class="console">
                if let Some(a) = &*auth {
                    <ContextProvider<AuthHandle> context={a.clone()}>
                        if tips_ok {
                            <alerts::Alerts on_open={open_tip} />
                        }
                        {
                            match view {
                                View::Tips => html! { <Desk request={(*requested).clone()} /> },
                                View::Campaigns => html! { <Campaigns /> },
                                View::Assess => html! { <Assessments /> },
                                View::Results => html! { <Results /> },
                                View::Schools => html! { <schools::Schools /> },
                                View::Country => html! { <country::Country /> },
                                View::Class => html! { <class_sheet::ClassSheetView /> },
                                View::Accounts => html! { <Accounts /> },
                                View::Templates => html! { <templates::Templates /> },
                                View::Password => html! { <ChangePassword /> },
                            }
                        }
                    </ContextProvider<AuthHandle>>
                } else {
                    <Login {on_login} notice={(*expired).then(|| s(l, Msg::Expired).to_string())} />
                }
            </main>
        </ContextProvider<Ctx>>
    }
}

/// Mounts the console in the element with id `bvantq-app` (or the body).
#[wasm_bindgen(start)]
pub fn start() {
    web_form::mount::<App>();
}
