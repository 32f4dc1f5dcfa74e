//! Pledge campaigns, as a ward officer (households), a school admin (classes) or an enterprise or
//! agency admin (departments) runs them: the campaigns of their scope, a new one, and for each
//! its code, QR code and link to share, its signing window, coverage, roster import with the
//! per-row report, the pledges signed (search, verify, void with a reason) and the exports.

use bvantq_shared::api::{UnitDetail, UnitPage};
use bvantq_shared::pledge::{
    CampaignDto, CampaignWindow, Coverage, CreateCampaignRequest, DeclaredCount, PledgeDto,
    PledgePage, RosterReport, StatusRequest, TemplateDto, leaf_kinds,
};
use bvantq_shared::{PledgeKind, PledgeStatus, Role, UnitKind};
use serde_json::Value;
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use web_form::request::RequestError;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::results::{download, number};
use crate::strings::{label, pick, s};
use crate::{Ctx, Load, failure, field_errors, input_value, vn_time};

/// The audience a role runs campaigns for, from its own scope unit (province officers and
/// administrators see and manage campaigns, but a campaign is started where it is run).
pub fn audience_of(role: Role) -> Option<PledgeKind> {
    match role {
        Role::WardOfficer => Some(PledgeKind::Household),
        Role::SchoolAdmin => Some(PledgeKind::Student),
        Role::OrgAdmin => Some(PledgeKind::Worker),
        Role::ProvinceOfficer | Role::Admin => None,
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
            <h2>{ s(lang, "campaigns") }</h2>
            if kind.is_some() {
                <button class="secondary" onclick={new} data-testid="new-campaign">{ s(lang, "new_campaign") }</button>
            }
            {
                match &*list {
                    Load::Loading => html! { <p class="muted">{ s(lang, "loading") }</p> },
                    Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                    Load::Ready(v) if v.is_empty() => html! { <p class="muted">{ s(lang, "no_campaigns") }</p> },
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

#[derive(Properties, PartialEq)]
struct NewProps {
    kind: PledgeKind,
    on_done: Callback<Option<CampaignDto>>,
}

/// The units a new campaign of the officer's scope may cover: the scope unit itself where its
/// kind may (a commune, an agency or enterprise), and its children of the right kinds.
async fn choices(
    auth: &AuthHandle,
    kind: PledgeKind,
) -> Result<Vec<(String, String)>, RequestError> {
    let Some(me) = auth.me() else {
        return Ok(Vec::new());
    };
    let allowed = leaf_kinds(kind);
    let mut out = Vec::new();
    let scope: UnitDetail = auth
        .get(&format!("/api/v1/units/{}", me.scope_unit))
        .await?;
    if allowed.contains(&scope.unit.kind) {
        out.push((scope.unit.code.clone(), scope.unit.full_name.clone()));
    }
    let children: UnitPage = auth
        .get(&format!(
            "/api/v1/units?parent={}&limit=1000",
            me.scope_unit
        ))
        .await?;
    out.extend(
        children
            .items
            .into_iter()
            .filter(|u| u.current && allowed.contains(&u.kind) && u.kind != UnitKind::Commune)
            .map(|u| (u.code, u.full_name)),
    );
    Ok(out)
}

#[function_component(NewCampaign)]
fn new_campaign(props: &NewProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let (year_now, today) = today();
    let units = use_state(|| Load::<Vec<(String, String)>>::Loading);
    let templates = use_state(Vec::<TemplateDto>::new);
    let chosen = use_state(Vec::<String>::new);
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let (title, year, template, opens, closes) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    {
        let (auth, units, templates, kind) =
            (auth.clone(), units.clone(), templates.clone(), props.kind);
        use_effect_with(kind, move |kind| {
            let kind = *kind;
            wasm_bindgen_futures::spawn_local(async move {
                let Some(auth) = auth else { return };
                match choices(&auth, kind).await {
                    Ok(v) => units.set(Load::Ready(v)),
                    Err(e) => units.set(Load::Failed(failure(lang, &e))),
                }
                // The templates usable here: the province's own first, then the national ones.
                let scope = auth.me().map(|m| m.scope_unit).unwrap_or_default();
                let url = format!(
                    "/api/v1/pledge-templates?kind={}&unit={}",
                    kind.as_str(),
                    js_sys::encode_uri_component(&scope)
                );
                if let Ok(v) = auth.get::<Vec<TemplateDto>>(&url).await {
                    templates.set(v);
                }
            });
        });
    }
    let onsubmit = {
        let (chosen, errors, busy, on_done, kind) = (
            chosen.clone(),
            errors.clone(),
            busy.clone(),
            props.on_done.clone(),
            props.kind,
        );
        let (title, year, template, opens, closes) = (
            title.clone(),
            year.clone(),
            template.clone(),
            opens.clone(),
            closes.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let template_id = template
                .cast::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let req = CreateCampaignRequest {
                kind: kind.as_str().into(),
                year: input_value(&year).trim().parse().unwrap_or(0),
                title: input_value(&title),
                template_id,
                opens_on: input_value(&opens),
                closes_on: input_value(&closes),
                units: (*chosen).clone(),
            };
            if let Err(e) = req.parse() {
                errors.set(from_local(&e));
                return;
            }
            let (errors, busy, on_done) = (errors.clone(), busy.clone(), on_done.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match auth.post::<_, CampaignDto>("/api/v1/campaigns", &req).await {
                    Ok(c) => on_done.emit(Some(c)),
                    Err(e) => {
                        errors.set(field_errors(&e));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let cancel = {
        let on_done = props.on_done.clone();
        Callback::from(move |_| on_done.emit(None))
    };
    let invalid = |f: &str| errors.contains_key(f).to_string();
    let described = |f: &str| errors.contains_key(f).then(|| format!("err-{f}"));
    let unit_error = errors
        .iter()
        .find(|(k, _)| k.starts_with("units"))
        .map(|(k, _)| k.clone());
    html! {
        <form class="new-campaign" {onsubmit} novalidate=true>
            <button class="back" type="button" onclick={cancel}>{ s(lang, "back_campaigns") }</button>
            <h2>{ s(lang, "new_campaign") }{ " — " }{ pick(lang, props.kind.label_vi(), props.kind.label_en()) }</h2>
            <div class="field">
                <label for="title">{ s(lang, "campaign_title") }</label>
                <input id="title" ref={title} aria-invalid={invalid("title")} aria-describedby={described("title")} />
                { field_error(lang, &errors, "title") }
            </div>
            <div class="field">
                <label for="year">{ s(lang, "year") }</label>
                <input id="year" ref={year} inputmode="numeric" value={year_now.to_string()}
                    aria-invalid={invalid("year")} aria-describedby={described("year")} />
                { field_error(lang, &errors, "year") }
            </div>
            <div class="field">
                <label for="template_id">{ s(lang, "template") }</label>
                <select id="template_id" ref={template} aria-invalid={invalid("template_id")}
                    aria-describedby={described("template_id")}>
                    { for templates.iter().map(|t| html! {
                        <option value={t.id.clone()} data-data="">
                            { format!("v{} — {}", t.version, t.title_vi) }
                        </option>
                    }) }
                </select>
                { field_error(lang, &errors, "template_id") }
            </div>
            <div class="field">
                <label for="opens_on">{ s(lang, "opens_on") }</label>
                <input id="opens_on" ref={opens} type="date" value={today.clone()}
                    aria-invalid={invalid("opens_on")} aria-describedby={described("opens_on")} />
                { field_error(lang, &errors, "opens_on") }
            </div>
            <div class="field">
                <label for="closes_on">{ s(lang, "closes_on") }</label>
                <input id="closes_on" ref={closes} type="date" value={format!("{year_now}-12-31")}
                    aria-invalid={invalid("closes_on")} aria-describedby={described("closes_on")} />
                { field_error(lang, &errors, "closes_on") }
            </div>
            <fieldset>
                <legend>{ s(lang, "campaign_units") }</legend>
                {
                    match &*units {
                        Load::Loading => html! { <p class="muted">{ s(lang, "loading") }</p> },
                        Load::Failed(why) => html! { <p class="error">{ why.clone() }</p> },
                        Load::Ready(v) if v.is_empty() => html! { <p class="muted">{ s(lang, "no_units") }</p> },
                        Load::Ready(v) => html! {
                            <>{ for v.iter().map(|(code, name)| {
                                let id = format!("unit-{code}");
                                let checked = chosen.contains(code);
                                let onchange = {
                                    let (chosen, code) = (chosen.clone(), code.clone());
                                    Callback::from(move |_| {
                                        let mut c = (*chosen).clone();
                                        if let Some(i) = c.iter().position(|x| *x == code) {
                                            c.remove(i);
                                        } else {
                                            c.push(code.clone());
                                        }
                                        chosen.set(c);
                                    })
                                };
                                html! {
                                    <div class="check">
                                        <input type="checkbox" id={id.clone()} {checked} {onchange} />
                                        <label for={id} data-data="">{ name.clone() }</label>
                                    </div>
                                }
                            }) }</>
                        },
                    }
                }
                if let Some(k) = unit_error {
                    { field_error(lang, &errors, &k) }
                }
            </fieldset>
            <div aria-live="polite">{ field_error(lang, &errors, "form") }{ field_error(lang, &errors, "kind") }</div>
            <button class="primary" type="submit" disabled={*busy}>{ s(lang, "create_campaign") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct ViewProps {
    campaign: CampaignDto,
    on_close: Callback<()>,
    on_changed: Callback<()>,
}

#[function_component(CampaignView)]
fn campaign_view(props: &ViewProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let c = &props.campaign;
    // Bumped after a roster import or a pledge's change: coverage follows.
    let changed = use_state(|| 0u32);
    let bump = {
        let changed = changed.clone();
        Callback::from(move |_| changed.set(*changed + 1))
    };
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let link = format!("{origin}{}", c.form_path);
    let back = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let print = Callback::from(|_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    let export = |ext: &'static str| {
        let (auth, code) = (auth.clone(), c.code.clone());
        Callback::from(move |_| {
            let (auth, code) = (auth.clone(), code.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/campaigns/{code}/pledges.{ext}");
                if let Ok(bytes) = auth.get_bytes(&url).await {
                    download(&bytes, &format!("cam-ket-{code}.{ext}"));
                }
            });
        })
    };
    html! {
        <section class="campaign">
            <button class="back no-print" onclick={back}>{ s(lang, "back_campaigns") }</button>
            <h2 data-testid="campaign-title"><span data-data="">{ c.title.clone() }</span></h2>
            <div class="share">
                <p class="muted">{ s(lang, "share_hint") }</p>
                <p class="receipt-code" data-testid="campaign-code" data-data="">{ c.code.clone() }</p>
                <img class="qr" src={format!("/api/v1/campaigns/{}/qr.svg", c.code)}
                    alt={s(lang, "qr_alt")} width="220" height="220" />
                <p><a href={c.form_path.clone()} data-testid="campaign-link" data-data="">{ link }</a></p>
                <button class="secondary no-print" onclick={print}>{ s(lang, "print") }</button>
            </div>
            <WindowForm campaign={c.clone()} on_changed={props.on_changed.clone()} />
            <CoverageTable campaign={c.clone()} changed={*changed} />
            <RosterForm campaign={c.clone()} on_imported={bump.clone()} />
            <DeclaredForm campaign={c.clone()} on_saved={bump.clone()} />
            <crate::disputes::Disputes code={c.code.clone()} changed={*changed} on_changed={bump.clone()} />
            <Pledges campaign={c.clone()} changed={*changed} on_changed={bump} />
            <div class="toolbar no-print">
                <button class="secondary" onclick={export("xlsx")}>{ s(lang, "export_xlsx") }</button>
                <button class="secondary" onclick={export("csv")}>{ s(lang, "export_csv") }</button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct WindowProps {
    campaign: CampaignDto,
    on_changed: Callback<()>,
}

#[function_component(WindowForm)]
fn window_form(props: &WindowProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let (opens, closes) = (use_node_ref(), use_node_ref());
    let errors = use_state(FieldErrors::new);
    let saved = use_state(|| false);
    let onsubmit = {
        let (opens, closes, errors, saved) =
            (opens.clone(), closes.clone(), errors.clone(), saved.clone());
        let (code, on_changed) = (props.campaign.code.clone(), props.on_changed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let w = CampaignWindow {
                opens_on: input_value(&opens),
                closes_on: input_value(&closes),
            };
            if let Err(e) = w.parse() {
                errors.set(from_local(&e));
                return;
            }
            let (errors, saved, on_changed) = (errors.clone(), saved.clone(), on_changed.clone());
            let url = format!("/api/v1/campaigns/{code}/window");
            wasm_bindgen_futures::spawn_local(async move {
                match auth.put::<_, Value>(&url, &w).await {
                    Ok(_) => {
                        errors.set(FieldErrors::new());
                        saved.set(true);
                        on_changed.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let c = &props.campaign;
    let invalid = |f: &str| errors.contains_key(f).to_string();
    html! {
        <form class="action window no-print" {onsubmit} novalidate=true>
            <h3>{ s(lang, "window") }</h3>
            <p class="hint">{ s(lang, "window_hint") }</p>
            <div class="toolbar">
                <label for="window-opens_on">{ s(lang, "opens_on") }</label>
                <input id="window-opens_on" type="date" ref={opens} value={c.opens_on.to_string()}
                    aria-invalid={invalid("opens_on")} />
                <label for="window-closes_on">{ s(lang, "closes_on") }</label>
                <input id="window-closes_on" type="date" ref={closes} value={c.closes_on.to_string()}
                    aria-invalid={invalid("closes_on")} />
            </div>
            <div aria-live="polite">
                { field_error(lang, &errors, "opens_on") }
                { field_error(lang, &errors, "closes_on") }
                { field_error(lang, &errors, "form") }
                if *saved && errors.is_empty() {
                    <p class="muted" data-testid="window-saved">{ s(lang, "done") }</p>
                }
            </div>
            <button class="secondary" type="submit">{ s(lang, "save") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct CoverageProps {
    campaign: CampaignDto,
    changed: u32,
}

#[function_component(CoverageTable)]
fn coverage_table(props: &CoverageProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let cov = use_state(|| None::<Result<Coverage, String>>);
    {
        let cov = cov.clone();
        let c = &props.campaign;
        let url = format!(
            "/api/v1/coverage?unit={}&year={}&kind={}",
            c.owner_unit,
            c.year,
            c.kind.as_str()
        );
        use_effect_with((url, props.changed), move |(url, _)| {
            let url = url.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(auth) = auth {
                    let got = auth.get::<Coverage>(&url).await;
                    cov.set(Some(got.map_err(|e| failure(lang, &e))));
                }
            });
        });
    }
    let pct = |p: Option<f64>| p.map_or_else(|| "—".into(), |v| format!("{}%", number(lang, v)));
    let v = match &*cov {
        None => return html! { <p class="muted">{ s(lang, "loading") }</p> },
        Some(Err(why)) => return html! { <p class="error" role="alert">{ why.clone() }</p> },
        Some(Ok(v)) => v,
    };
    html! {
        <>
            <h3>{ s(lang, "coverage_of") }{ " " }{ v.year }</h3>
            <table class="grid" data-testid="coverage">
                <thead><tr>
                    <th scope="col">{ s(lang, "unit") }</th>
                    <th scope="col">{ s(lang, "signed") }</th>
                    <th scope="col">{ s(lang, "expected") }</th>
                    <th scope="col">{ s(lang, "coverage") }</th>
                </tr></thead>
                <tbody>
                    { for v.children.iter().map(|l| html! {
                        <tr>
                            <th scope="row" data-data="">{ l.name.clone() }</th>
                            <td>{ l.signed }</td><td>{ l.expected }</td><td>{ pct(l.percent) }</td>
                        </tr>
                    }) }
                    <tr class="total">
                        <th scope="row" data-data="">{ v.total.name.clone() }</th>
                        <td data-testid="coverage-signed">{ v.total.signed }</td>
                        <td data-testid="coverage-expected">{ v.total.expected }</td>
                        <td>{ pct(v.total.percent) }</td>
                    </tr>
                </tbody>
            </table>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct RosterProps {
    campaign: CampaignDto,
    on_imported: Callback<()>,
}

#[function_component(RosterForm)]
fn roster_form(props: &RosterProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let (unit, file, partial) = (use_node_ref(), use_node_ref(), use_node_ref());
    let report = use_state(|| None::<RosterReport>);
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let onsubmit = {
        let (unit, file, partial, report, errors, busy) = (
            unit.clone(),
            file.clone(),
            partial.clone(),
            report.clone(),
            errors.clone(),
            busy.clone(),
        );
        let (code, on_imported) = (props.campaign.code.clone(), props.on_imported.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let unit_code = unit
                .cast::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let accept_partial = partial
                .cast::<web_sys::HtmlInputElement>()
                .is_some_and(|i| i.checked());
            let Some(f) = file
                .cast::<web_sys::HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|l| l.get(0))
            else {
                let mut m = FieldErrors::new();
                let required = bvantq_shared::ValidationError::Required;
                m.insert(
                    "file".into(),
                    (required.message_vi(), required.message_en()),
                );
                errors.set(m);
                return;
            };
            let (report, errors, busy, on_imported) = (
                report.clone(),
                errors.clone(),
                busy.clone(),
                on_imported.clone(),
            );
            let url = format!(
                "/api/v1/campaigns/{code}/roster?unit={unit_code}{}",
                if accept_partial {
                    "&accept_partial=true"
                } else {
                    ""
                }
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let Some(text) = wasm_bindgen_futures::JsFuture::from(f.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string())
                else {
                    // Sending nothing would read as an empty list: say the file was unreadable.
                    report.set(None);
                    errors.set(web_form::form::form_error(
                        s(Lang::Vi, "file_unreadable"),
                        s(Lang::En, "file_unreadable"),
                    ));
                    busy.set(false);
                    return;
                };
                match auth.post_csv::<RosterReport>(&url, &text).await {
                    Ok((_, r)) => {
                        errors.set(FieldErrors::new());
                        if r.imported {
                            on_imported.emit(());
                        }
                        report.set(Some(r));
                    }
                    Err(e) => {
                        report.set(None);
                        errors.set(field_errors(&e));
                    }
                }
                busy.set(false);
            });
        })
    };
    let c = &props.campaign;
    html! {
        <form class="action roster no-print" {onsubmit} novalidate=true>
            <h3>{ s(lang, "roster") }</h3>
            <p class="hint">{ s(lang, match c.kind {
                PledgeKind::Household => "roster_hint_household",
                PledgeKind::Student => "roster_hint_student",
                PledgeKind::Worker => "roster_hint_worker",
            }) }</p>
            <label for="roster-unit">{ s(lang, "unit") }</label>
            <select id="roster-unit" ref={unit}>
                { for c.units.iter().map(|u| html! {
                    <option value={u.code.clone()} data-data="">{ u.name.clone() }</option>
                }) }
            </select>
            <label for="roster-file">{ s(lang, "roster_file") }</label>
            <input id="roster-file" type="file" accept=".csv,text/csv" ref={file}
                aria-invalid={errors.contains_key("file").to_string()} />
            { field_error(lang, &errors, "file") }
            <div class="check">
                <input id="roster-partial" type="checkbox" ref={partial} />
                <label for="roster-partial">{ s(lang, "accept_partial") }</label>
            </div>
            <div aria-live="polite">
                { field_error(lang, &errors, "unit") }
                { field_error(lang, &errors, "form") }
                if let Some(r) = &*report {
                    <div class={if r.imported { "notice" } else { "warning" }} data-testid="roster-report">
                        <p>
                            { s(lang, "roster_rows") }{ ": " }{ r.rows }{ " · " }
                            { s(lang, "roster_accepted") }{ ": " }{ r.accepted }{ " · " }
                            { s(lang, "roster_rejected") }{ ": " }{ r.rejected.len() }
                        </p>
                        <p><strong>{ s(lang, if r.imported { "roster_imported" } else { "roster_not_imported" }) }</strong></p>
                        if !r.rejected.is_empty() {
                            <ul>
                                { for r.rejected.iter().map(|x| html! {
                                    <li>
                                        { s(lang, "line") }{ " " }{ x.line }{ " (" }<span class="code" data-data="">{ x.field.clone() }</span>{ "): " }
                                        { crate::pick_owned(lang, &x.message_vi, &x.message_en) }
                                    </li>
                                }) }
                            </ul>
                        }
                    </div>
                }
            </div>
            <button class="secondary" type="submit" disabled={*busy}>{ s(lang, "import") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct PledgesProps {
    campaign: CampaignDto,
    /// Bumped when something outside the list changed it (a dispute decided).
    changed: u32,
    on_changed: Callback<()>,
}

#[function_component(Pledges)]
fn pledges(props: &PledgesProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let q = use_state(String::new);
    let search = use_node_ref();
    let page = use_state(|| None::<PledgePage>);
    let reload = use_state(|| 0u32);
    {
        let (page, code) = (page.clone(), props.campaign.code.clone());
        let auth = auth.clone();
        use_effect_with(((*q).clone(), *reload, props.changed), move |(q, _, _)| {
            let url = format!(
                "/api/v1/campaigns/{code}/pledges?limit=100&q={}",
                js_sys::encode_uri_component(q)
            );
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(auth) = auth
                    && let Ok(p) = auth.get::<PledgePage>(&url).await
                {
                    page.set(Some(p));
                }
            });
        });
    }
    let onsubmit = {
        let (q, search) = (q.clone(), search.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            q.set(input_value(&search));
        })
    };
    let changed = {
        let (reload, on_changed) = (reload.clone(), props.on_changed.clone());
        Callback::from(move |_| {
            reload.set(*reload + 1);
            on_changed.emit(());
        })
    };
    html! {
        <section class="pledges">
            <h3>{ s(lang, "pledges_signed") }</h3>
            <form class="toolbar no-print" {onsubmit}>
                <label for="pledge-search">{ s(lang, "search_name") }</label>
                <input id="pledge-search" type="search" ref={search} />
                <button class="secondary" type="submit">{ s(lang, "search") }</button>
            </form>
            {
                match &*page {
                    None => html! { <p class="muted">{ s(lang, "loading") }</p> },
                    Some(p) if p.items.is_empty() => html! { <p class="muted">{ s(lang, "no_pledges") }</p> },
                    Some(p) => html! {
                        <ul class="queue" data-testid="pledges">
                            { for p.items.iter().map(|x| html! {
                                <PledgeRow pledge={x.clone()} on_changed={changed.clone()} />
                            }) }
                        </ul>
                    },
                }
            }
            if page.as_ref().is_some_and(|p| p.next_cursor.is_some()) {
                <p class="hint">{ s(lang, "more_in_export") }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    pledge: PledgeDto,
    on_changed: Callback<()>,
}

#[function_component(PledgeRow)]
fn pledge_row(props: &RowProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let voiding = use_state(|| false);
    let reason = use_node_ref();
    let errors = use_state(FieldErrors::new);
    let p = &props.pledge;
    let act = |action: &'static str, needs_reason: bool| {
        let (auth, errors, reason, voiding) = (
            auth.clone(),
            errors.clone(),
            reason.clone(),
            voiding.clone(),
        );
        let (id, on_changed) = (p.id.clone(), props.on_changed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let req = StatusRequest {
                reason: needs_reason.then(|| input_value(&reason)),
            };
            if let Err(e) = req.reason(needs_reason) {
                errors.set(from_local(&e));
                return;
            }
            let (errors, voiding, on_changed) =
                (errors.clone(), voiding.clone(), on_changed.clone());
            let url = format!("/api/v1/pledges/{id}/{action}");
            wasm_bindgen_futures::spawn_local(async move {
                match auth.post::<_, Value>(&url, &req).await {
                    Ok(_) => {
                        voiding.set(false);
                        on_changed.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let start_void = {
        let voiding = voiding.clone();
        Callback::from(move |_| voiding.set(true))
    };
    let reason_id = format!("void-reason-{}", p.id);
    html! {
        <li class="pledge-row">
            <p class="row-top">
                <strong data-data="">{ p.full_name.clone() }</strong>
                <span>{ label(lang, p.status) }</span>
            </p>
            <p class="row-meta">
                { vn_time(p.signed_at) }{ " · " }
                { label(lang, p.channel) }
                { " · " }{ s(lang, if p.on_roster { "on_roster" } else { "not_on_roster" }) }
                if let Some(last4) = &p.citizen_id_last4 {
                    { " · CCCD …" }<span data-data="">{ last4.clone() }</span>
                }
                if let Some(r) = &p.status_reason {
                    { " · " }{ s(lang, "reason") }{ ": " }<span data-data="">{ r.clone() }</span>
                }
            </p>
            if !p.flags.is_empty() {
                <p class="flags" data-testid="flags">
                    { for p.flags.iter().map(|f| html! {
                        <span class="flag">{ pick(lang, f.label_vi(), f.label_en()) }</span>
                    }) }
                </p>
            }
            if !matches!(p.status, PledgeStatus::Void | PledgeStatus::Disputed) {
                <form class="toolbar no-print" onsubmit={act("verify", false)}>
                    if p.status == PledgeStatus::Valid {
                        <button class="secondary" type="submit">{ s(lang, "verify") }</button>
                    }
                    if !*voiding {
                        <button class="secondary" type="button" onclick={start_void}>{ s(lang, "void") }</button>
                    }
                </form>
            }
            if !matches!(p.status, PledgeStatus::Void | PledgeStatus::Disputed) && *voiding {
                <form class="no-print" onsubmit={act("void", true)} novalidate=true>
                    <label for={reason_id.clone()}>{ s(lang, "void_reason") }</label>
                    <input id={reason_id} ref={reason}
                        aria-invalid={errors.contains_key("reason").to_string()} />
                    { field_error(lang, &errors, "reason") }
                    <button class="secondary" type="submit">{ s(lang, "confirm_void") }</button>
                </form>
            }
            { field_error(lang, &errors, "form") }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct DeclaredProps {
    campaign: CampaignDto,
    on_saved: Callback<()>,
}

/// A declared number of signers, for a unit with no list (households counted by the ward, say).
#[function_component(DeclaredForm)]
fn declared_form(props: &DeclaredProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let (unit, count) = (use_node_ref(), use_node_ref());
    let errors = use_state(FieldErrors::new);
    let saved = use_state(|| false);
    let onsubmit = {
        let (unit, count, errors, saved) =
            (unit.clone(), count.clone(), errors.clone(), saved.clone());
        let (code, on_saved) = (props.campaign.code.clone(), props.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let req = DeclaredCount {
                unit_code: unit
                    .cast::<web_sys::HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default(),
                expected: input_value(&count).trim().parse().unwrap_or(-1),
            };
            if let Err(e) = req.parse() {
                errors.set(from_local(&e));
                return;
            }
            let (errors, saved, on_saved) = (errors.clone(), saved.clone(), on_saved.clone());
            let url = format!("/api/v1/campaigns/{code}/expected");
            wasm_bindgen_futures::spawn_local(async move {
                match auth.put::<_, DeclaredCount>(&url, &req).await {
                    Ok(_) => {
                        errors.set(FieldErrors::new());
                        saved.set(true);
                        on_saved.emit(());
                    }
                    Err(e) => {
                        saved.set(false);
                        errors.set(field_errors(&e));
                    }
                }
            });
        })
    };
    let c = &props.campaign;
    html! {
        <form class="action declared no-print" {onsubmit} novalidate=true>
            <h3>{ s(lang, "declared") }</h3>
            <p class="hint">{ s(lang, "declared_hint") }</p>
            <label for="declared-unit">{ s(lang, "unit") }</label>
            <select id="declared-unit" ref={unit}>
                { for c.units.iter().map(|u| html! {
                    <option value={u.code.clone()} data-data="">{ u.name.clone() }</option>
                }) }
            </select>
            <label for="declared-expected">{ s(lang, "declared_count") }</label>
            <input id="declared-expected" ref={count} inputmode="numeric"
                aria-invalid={errors.contains_key("expected").to_string()} />
            <div aria-live="polite">
                { field_error(lang, &errors, "expected") }
                { field_error(lang, &errors, "unit_code") }
                { field_error(lang, &errors, "form") }
                if *saved && errors.is_empty() {
                    <p class="muted" data-testid="declared-saved">{ s(lang, "done") }</p>
                }
            </div>
            <button class="secondary" type="submit">{ s(lang, "save") }</button>
        </form>
    }
}
