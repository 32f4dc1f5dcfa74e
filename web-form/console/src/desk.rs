//! The queue: open tips of the officer's scope, life-safety first, then the nearest deadline, with
//! the counts against the legal clock per commune. Listing shows no content, so it is not a
//! content read; opening a tip is.

use crate::strings::Msg;
use bvantq_shared::tip::{ClockState, DeadlineCounts, TipPage, TipSummary};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, vn_time};
use crate::oversight::{AuditLog, Stats};
use crate::strings::{pick, s};
use crate::tip_view::TipView;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Open,
    DueSoon,
    Overdue,
    Mine,
    All,
}

impl Filter {
    const ALL: [Filter; 5] = [
        Filter::Open,
        Filter::DueSoon,
        Filter::Overdue,
        Filter::Mine,
        Filter::All,
    ];

    fn key(self) -> Msg {
        match self {
            Filter::Open => Msg::OpenTips,
            Filter::DueSoon => Msg::DueSoon,
            Filter::Overdue => Msg::Overdue,
            Filter::Mine => Msg::Mine,
            Filter::All => Msg::All,
        }
    }

    fn query(self) -> &'static str {
        match self {
            Filter::Open => "status=received,verifying,transferred,handling,suspended",
            Filter::DueSoon => "due_soon=true",
            Filter::Overdue => "overdue=true",
            Filter::Mine => "assigned=me&status=received,verifying,transferred,handling,suspended",
            Filter::All => "",
        }
    }
}

/// Where a tip stands against its deadline, in words and as a class for its colour.
pub fn clock(lang: Lang, c: ClockState) -> (&'static str, &'static str) {
    match c {
        ClockState::Overdue => (s(lang, Msg::Overdue), "clock overdue"),
        ClockState::DueSoon => (s(lang, Msg::DueSoon), "clock due-soon"),
        ClockState::OnTime => (s(lang, Msg::OnTime), "clock on-time"),
        ClockState::Stopped => (s(lang, Msg::Stopped), "clock stopped"),
    }
}

/// What the tips section shows: the queue, the statistics, or (province officers) the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Queue,
    Stats,
    Audit,
    /// The province's procedure numbers and days off.
    Procedure,
    /// Fraud indicators shared across the province's communes.
    Clusters,
}

#[derive(Properties, PartialEq)]
pub struct DeskProps {
    /// A tip to open (from an urgent notice).
    #[prop_or_default]
    pub request: Option<String>,
}

#[function_component(Desk)]
pub fn desk(props: &DeskProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let filter = use_state(|| Filter::Open);
    let items = use_state(|| Load::<Vec<TipSummary>>::Loading);
    let next = use_state(|| None::<String>);
    let counts = use_state(Vec::<DeadlineCounts>::new);
    let open = use_state(|| props.request.clone());
    {
        let open = open.clone();
        use_effect_with(props.request.clone(), move |r| {
            if let Some(id) = r {
                open.set(Some(id.clone()));
            }
        });
    }
    // Bumped to reload the list (after an action, or on "refresh").
    let reload = use_state(|| 0u32);
    let mode = use_state(|| Mode::Queue);

    {
        let (auth, items, next, counts) =
            (auth.clone(), items.clone(), next.clone(), counts.clone());
        use_effect_with((*filter, *reload), move |(f, _)| {
            let f = *f;
            items.set(Load::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                match auth
                    .get::<TipPage>(&format!("/api/v1/tips?limit=50&{}", f.query()))
                    .await
                {
                    Ok(p) => {
                        next.set(p.next_cursor);
                        items.set(Load::Ready(p.items));
                    }
                    Err(e) => items.set(Load::Failed(failure(lang, &e))),
                }
                if let Ok(c) = auth
                    .get::<Vec<DeadlineCounts>>("/api/v1/tips/deadlines")
                    .await
                {
                    counts.set(c);
                }
            });
        });
    }
    let more = {
        let (auth, items, next, filter) = (auth.clone(), items.clone(), next.clone(), *filter);
        Callback::from(move |_| {
            let Some(cursor) = (*next).clone() else {
                return;
            };
            let (auth, items, next) = (auth.clone(), items.clone(), next.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/tips?limit=50&{}&cursor={cursor}", filter.query());
                if let Ok(p) = auth.get::<TipPage>(&url).await {
                    let mut all = match &*items {
                        Load::Ready(v) => v.clone(),
                        _ => Vec::new(),
                    };
                    all.extend(p.items);
                    next.set(p.next_cursor);
                    items.set(Load::Ready(all));
                }
            });
        })
    };

    if let Some(id) = (*open).clone() {
        let close = {
            let (open, reload) = (open.clone(), reload.clone());
            Callback::from(move |_| {
                open.set(None);
                reload.set(*reload + 1);
            })
        };
        let open_other = {
            let open = open.clone();
            Callback::from(move |id: String| open.set(Some(id)))
        };
        return html! { <TipView {id} on_close={close} on_open={open_other} /> };
    }

    let auditor = auth.me().is_some_and(|m| {
        matches!(
            m.role,
            bvantq_shared::Role::ProvinceOfficer | bvantq_shared::Role::Admin
        )
    });
    let modes = [
        (Mode::Queue, Msg::Queue),
        (Mode::Stats, Msg::Statistics),
        (Mode::Audit, Msg::AuditLog),
        (Mode::Procedure, Msg::ProcedureTab),
        (Mode::Clusters, Msg::ClustersTab),
    ];
    let mode_tabs = html! {
        <div class="tabs" role="group" aria-label={s(lang, Msg::Tips)}>
            { for modes.iter().filter(|(m, _)| !matches!(m, Mode::Audit | Mode::Procedure | Mode::Clusters) || auditor).map(|&(m, key)| {
                let pressed = (*mode == m).to_string();
                let mode = mode.clone();
                html! {
                    <button class="tab mode" aria-pressed={pressed}
                        onclick={Callback::from(move |_| mode.set(m))}>{ s(lang, key) }</button>
                }
            }) }
        </div>
    };
    if *mode != Mode::Queue {
        return html! {
            <section class="desk">
                <h2>{ s(lang, Msg::Tips) }</h2>
                { mode_tabs }
                {
                    match *mode {
                        Mode::Stats => html! { <Stats /> },
                        Mode::Procedure => html! { <crate::procedure::ProcedureView /> },
                        Mode::Clusters => {
                            let open = open.clone();
                            let on_open = Callback::from(move |id: String| open.set(Some(id)));
                            html! { <crate::indicators::Clusters {on_open} /> }
                        }
                        _ => html! { <AuditLog /> },
                    }
                }
            </section>
        };
    }
    let total = |f: fn(&DeadlineCounts) -> i64| counts.iter().map(f).sum::<i64>();
    // Who "me" is, once per render rather than once per row.
    let me_id = auth.me().map(|m| m.id);
    let tabs = Filter::ALL.iter().map(|&f| {
        let pressed = (*filter == f).to_string();
        let filter = filter.clone();
        let onclick = Callback::from(move |_| filter.set(f));
        html! {
            <button class="tab" aria-pressed={pressed} {onclick}>
                { s(lang, f.key()) }
            </button>
        }
    });
    let refresh = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    html! {
        <section class="desk">
            <h2>{ s(lang, Msg::Tips) }</h2>
            { mode_tabs }
            <dl class="totals" data-testid="totals">
                <div><dt>{ s(lang, Msg::OpenTips) }</dt><dd data-testid="open-count">{ total(|c| c.open) }</dd></div>
                <div class="due-soon"><dt>{ s(lang, Msg::DueSoon) }</dt><dd>{ total(|c| c.due_soon) }</dd></div>
                <div class="overdue"><dt>{ s(lang, Msg::Overdue) }</dt><dd>{ total(|c| c.overdue) }</dd></div>
            </dl>
            if counts.len() > 1 {
                <table class="per-commune">
                    <caption>{ s(lang, Msg::ByCommune) }</caption>
                    <thead><tr>
                        <th scope="col">{ s(lang, Msg::Commune) }</th>
                        <th scope="col">{ s(lang, Msg::OpenTips) }</th>
                        <th scope="col">{ s(lang, Msg::DueSoon) }</th>
                        <th scope="col">{ s(lang, Msg::Overdue) }</th>
                    </tr></thead>
                    <tbody>
                        { for counts.iter().map(|c| html! {
                            <tr>
                                <th scope="row" data-data="">{ c.commune_name.clone() }</th>
                                <td>{ c.open }</td><td>{ c.due_soon }</td><td>{ c.overdue }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            <div class="tabs" role="group" aria-label={s(lang, Msg::Filter)}>
                { for tabs }
                <button class="secondary" onclick={refresh}>{ s(lang, Msg::Refresh) }</button>
            </div>
            {
                match &*items {
                    Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
                    Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                    Load::Ready(v) if v.is_empty() => html! {
                        <p class="muted" data-testid="queue-empty">{ s(lang, Msg::None) }</p>
                    },
                    Load::Ready(v) => html! {
                        <ul class="queue" data-testid="queue">
                            { for v.iter().map(|t| row(lang, t, me_id.as_deref(), &open)) }
                        </ul>
                    },
                }
            }
            if next.is_some() {
                <button class="secondary" onclick={more}>{ s(lang, Msg::More) }</button>
            }
        </section>
    }
}

fn row(
    lang: Lang,
    t: &TipSummary,
    me: Option<&str>,
    open: &UseStateHandle<Option<String>>,
) -> Html {
    let (clock_text, clock_class) = clock(lang, t.clock);
    let onclick = {
        let (open, id) = (open.clone(), t.id.clone());
        Callback::from(move |_| open.set(Some(id.clone())))
    };
    let assigned = match &t.assigned_to {
        None => s(lang, Msg::Unassigned),
        Some(a) if Some(a.as_str()) == me => s(lang, Msg::AssignedMe),
        Some(_) => s(lang, Msg::AssignedOther),
    };
    html! {
        <li class={classes!("tip-row", (t.priority.rank() == 0).then_some("life"))}>
            <button class="tip-open" {onclick} data-tip={t.id.clone()}>
                <span class="row-top">
                    <strong>{ pick(lang, t.category.label_vi(), t.category.label_en()) }</strong>
                    <span class={clock_class}>{ clock_text }</span>
                </span>
                <span class="row-meta">
                    { pick(lang, t.status.label_vi(), t.status.label_en()) }
                    { " · " }{ pick(lang, t.priority.label_vi(), t.priority.label_en()) }
                    { " · " }<span data-data="">{ t.commune_name.clone() }</span>
                </span>
                <span class="row-meta">
                    { s(lang, Msg::Received) }{ ": " }{ vn_time(t.received_at) }
                    { " · " }{ s(lang, Msg::Deadline) }{ ": " }{ web_form::form::day(t.deadline) }
                    if let Some(r) = &t.rule {
                        { " · " }<span class="rule">{ crate::helpers::pick_owned(lang, &r.vi, &r.en) }</span>
                    }
                    { " · " }{ assigned }
                </span>
            </button>
        </li>
    }
}
