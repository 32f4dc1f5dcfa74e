//! One tip: its content (the server audits the read), photos, the thread with the reporter and
//! the internal notes, its history, and the officer's actions — each checked in the browser by
//! the same `shared` parser the server runs, with the server's own messages.

use bvantq_shared::tip::procedure::{Step, TipPeriod, TransferClass};
use bvantq_shared::tip::{TipDetail, TipMessageKind};
use web_form::i18n::Lang;
use web_form::request::RequestError;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::desk::clock;
use crate::helpers::{Ctx, failure, vn_time};
use crate::strings::{Msg, label, s};

mod actions;

pub use actions::TextKind;
use actions::{AssignButton, PriorityForm, StepForm, TextForm};

#[derive(Properties, PartialEq)]
pub struct TipViewProps {
    pub id: String,
    pub on_close: Callback<()>,
    /// Opens another tip (one that shares a fraud indicator).
    pub on_open: Callback<String>,
}

#[function_component(TipView)]
pub fn tip_view(props: &TipViewProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let tip = use_state(|| None::<Result<TipDetail, String>>);
    let reload = use_state(|| 0u32);
    {
        let (auth, tip, id) = (auth.clone(), tip.clone(), props.id.clone());
        use_effect_with((id, *reload), move |(id, _)| {
            let id = id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let got = auth.get::<TipDetail>(&format!("/api/v1/tips/{id}")).await;
                tip.set(Some(got.map_err(|e| match &e {
                    RequestError::Problem(p) if p.status == 404 => {
                        s(lang, Msg::NotFound).to_string()
                    }
                    _ => failure(lang, &e),
                })));
            });
        });
    }
    let back = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let done = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    let body = match &*tip {
        None => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Some(Err(why)) => html! { <p class="error" role="alert">{ why.clone() }</p> },
        Some(Ok(t)) => detail(lang, t, &auth, &done, &props.on_open),
    };
    html! {
        <section class="tip-view">
            <button class="back" onclick={back}>{ s(lang, Msg::Back) }</button>
            { body }
        </section>
    }
}

/// A tip's sections: its facts, its content, the thread, the officer's actions, its history.
fn detail(
    lang: Lang,
    t: &TipDetail,
    auth: &AuthHandle,
    done: &Callback<()>,
    on_open: &Callback<String>,
) -> Html {
    let sm = &t.summary;
    let me = auth.me().map(|m| m.id).unwrap_or_default();
    html! {
        <>
            <h2 data-testid="tip-title">
                { label(lang, sm.category) }
                { " · " }<span data-testid="tip-status">{ label(lang, sm.status) }</span>
            </h2>
            <p class="notice">{ s(lang, Msg::ReadAudited) }</p>
            { facts(lang, t, &me) }
            { content(lang, t) }
            { crate::indicators::section(lang, t, on_open) }
            { thread(lang, t) }
            { actions(lang, t, &me, auth.me().map(|m| m.role), done) }
            { history(lang, t, &me) }
        </>
    }
}

fn facts(lang: Lang, t: &TipDetail, me: &str) -> Html {
    let sm = &t.summary;
    let (clock_text, clock_class) = clock(lang, sm.clock);
    html! {
        <dl class="facts">
            <dt>{ s(lang, Msg::Commune) }</dt><dd data-data="">{ sm.commune_name.clone() }</dd>
            <dt>{ s(lang, Msg::Received) }</dt><dd>{ vn_time(sm.received_at) }</dd>
            <dt>{ s(lang, Msg::Holder) }</dt><dd data-testid="tip-holder">{ label(lang, sm.holder) }</dd>
            <dt>{ s(lang, Msg::Deadline) }</dt>
            <dd>
                { match sm.due_at {
                    // An hour-counted limit (24 or 48 hours) shows its hour; a day-counted one
                    // (7 days, 20 days, months) its last day, which ends at 24:00.
                    Some(at) if sm.period == Some(TipPeriod::Transfer)
                        && sm.transfer_class.is_some_and(|c| c != TransferClass::Ordinary) => vn_time(at),
                    _ => web_form::form::day(sm.deadline),
                } }
                { " " }<span class={clock_class}>{ clock_text }</span>
            </dd>
            if let Some(r) = &sm.rule {
                <dt>{ s(lang, Msg::RuleLabel) }</dt>
                <dd data-testid="tip-rule">{ crate::helpers::pick_owned(lang, &r.vi, &r.en) }</dd>
            }
            if !sm.warnings.is_empty() {
                <dt>{ s(lang, Msg::WarningsLabel) }</dt>
                <dd class="clock due-soon" data-testid="tip-warnings">
                    { sm.warnings.iter().map(|w| label(lang, *w)).collect::<Vec<_>>().join(" · ") }
                </dd>
            }
            if let Some(c) = sm.transfer_class {
                <dt>{ s(lang, Msg::TransferClassLabel) }</dt><dd>{ label(lang, c) }</dd>
            }
            <dt>{ s(lang, Msg::CrimeClassLabel) }</dt>
            <dd>{ sm.crime_class.map_or_else(|| s(lang, Msg::Unknown), |c| label(lang, c)) }</dd>
            <dt>{ s(lang, Msg::Extensions) }</dt><dd>{ sm.extensions }</dd>
            <dt>{ s(lang, Msg::Priority) }</dt><dd>{ label(lang, sm.priority) }</dd>
            <dt>{ s(lang, Msg::Assigned) }</dt>
            <dd>{ match &sm.assigned_to {
                None => s(lang, Msg::Unassigned),
                Some(a) if a == me => s(lang, Msg::AssignedMe),
                Some(_) => s(lang, Msg::AssignedOther),
            } }</dd>
            if let Some(m) = &sm.merged_into {
                <dt>{ s(lang, Msg::MergedInto) }</dt><dd class="code" data-data="">{ m.clone() }</dd>
            }
            if !t.merged_from.is_empty() {
                <dt>{ s(lang, Msg::MergedFrom) }</dt><dd class="code" data-data="">{ t.merged_from.join(", ") }</dd>
            }
        </dl>
    }
}

/// What the reporter wrote (gone once the retention period purged it), and their photos.
fn content(lang: Lang, t: &TipDetail) -> Html {
    let sm = &t.summary;
    if sm.purged {
        return html! {
            <>
                <h3>{ s(lang, Msg::Content) }</h3>
                <p class="muted">{ s(lang, Msg::Purged) }</p>
            </>
        };
    }
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    html! {
        <>
            <h3>{ s(lang, Msg::Content) }</h3>
            <p class="body" data-data="" data-testid="tip-description">{ text(&t.description) }</p>
            <dl class="facts">
                <dt>{ s(lang, Msg::Place) }</dt><dd data-data="">{ text(&t.place) }</dd>
                if let (Some(lat), Some(lon)) = (t.latitude, t.longitude) {
                    <dt>{ s(lang, Msg::Coordinates) }</dt><dd data-data="">{ format!("{lat:.5}, {lon:.5}") }</dd>
                }
                if let Some(at) = t.incident_at {
                    // Given by the reporter in Vietnam time, and served with its offset.
                    <dt>{ s(lang, Msg::IncidentAt) }</dt><dd>{ web_form::form::local_time(at) }</dd>
                }
                <dt>{ s(lang, Msg::Reporter) }</dt>
                <dd>
                    if sm.anonymous {
                        { s(lang, Msg::Anonymous) }
                    } else {
                        <span data-data="">
                            { text(&t.contact_name) }{ " · " }{ text(&t.contact_phone) }
                        </span>
                    }
                </dd>
            </dl>
            if !t.photo_ids.is_empty() {
                <h3>{ s(lang, Msg::Photos) }</h3>
                <div class="photos">
                    { for t.photo_ids.iter().map(|p| html! {
                        <Photo url={format!("/api/v1/tips/{}/photos/{p}", sm.id)} />
                    }) }
                </div>
            }
        </>
    }
}

fn thread(lang: Lang, t: &TipDetail) -> Html {
    html! {
        <>
            <h3>{ s(lang, Msg::Thread) }</h3>
            if t.messages.is_empty() {
                <p class="muted">{ s(lang, Msg::NoMessages) }</p>
            } else {
                <ul class="thread" data-testid="officer-thread">
                    { for t.messages.iter().map(|m| {
                        let (who, class) = match m.kind {
                            TipMessageKind::Reporter => (s(lang, Msg::FromReporter), "from-reporter"),
                            TipMessageKind::Note => (s(lang, Msg::Note), "internal-note"),
                            TipMessageKind::Officer => (s(lang, Msg::FromOfficer), "from-officer"),
                        };
                        html! {
                            <li class={class}>
                                <p class="who">{ who }{ " · " }{ vn_time(m.at) }</p>
                                <p class="body" data-data="">{ m.body.clone() }</p>
                            </li>
                        }
                    }) }
                </ul>
            }
        </>
    }
}

/// The officer's actions: a reply and a note always; while the tip is open, the steps of the
/// procedure this officer's role may take at this stage (none: a read-only view).
fn actions(
    lang: Lang,
    t: &TipDetail,
    me: &str,
    role: Option<bvantq_shared::Role>,
    done: &Callback<()>,
) -> Html {
    let sm = &t.summary;
    let url = |action: &str| format!("/api/v1/tips/{}/{action}", sm.id);
    let mine = sm.assigned_to.as_deref() == Some(me);
    let steps = role.map_or_else(Vec::new, |r| Step::available(r, sm.position()));
    html! {
        <>
            if !sm.purged {
                <TextForm kind={TextKind::Reply} url={url("messages")} done={done.clone()} />
            }
            <TextForm kind={TextKind::Note} url={url("notes")} done={done.clone()} />
            if !sm.status.is_closed() {
                if steps.is_empty() {
                    <p class="muted" data-testid="read-only">{ s(lang, Msg::ReadOnly) }</p>
                } else {
                    <StepForm {steps} url={url("steps")} done={done.clone()} />
                }
                <AssignButton url={url("assign")} me={me.to_string()} {mine} done={done.clone()} />
                <PriorityForm current={sm.priority} url={url("priority")} done={done.clone()} />
            } else {
                <p class="muted">{ s(lang, Msg::NoTransition) }</p>
            }
        </>
    }
}

fn history(lang: Lang, t: &TipDetail, me: &str) -> Html {
    let actor = |a: &str| {
        if a == me {
            s(lang, Msg::ByMe)
        } else if a == "reporter" {
            s(lang, Msg::ByReporter)
        } else {
            s(lang, Msg::ByOfficer)
        }
    };
    html! {
        <>
            <h3>{ s(lang, Msg::History) }</h3>
            <ol class="history" data-testid="history">
                { for t.history.iter().map(|e| html! {
                    <li>
                        <span>{ vn_time(e.at) }{ " · " }{ actor(&e.actor) }{ " · " }</span>
                        if let Some(step) = e.step {
                            <strong>{ label(lang, step) }</strong>
                        } else {
                            <span class="code" data-data="">{ e.kind.as_str() }</span>
                        }
                        if let (Some(f), Some(to)) = (e.from_status, e.to_status) {
                            if f != to {
                                { " · " }{ label(lang, f) }{ " → " }{ label(lang, to) }
                            }
                        }
                        if let Some(a) = &e.act {
                            { " · " }<span data-data="">{ format!("{} — {} — {}", a.number, web_form::form::day(a.date), a.signer) }</span>
                        }
                        if let Some(r) = &e.reason {
                            { " · " }{ s(lang, Msg::Reason) }{ ": " }<span data-data="">{ r.clone() }</span>
                        }
                    </li>
                }) }
            </ol>
        </>
    }
}

/// A photo of the tip, fetched with the officer's token (an `<img src>` could not carry it).
#[derive(Properties, PartialEq)]
struct PhotoProps {
    url: String,
}

#[function_component(Photo)]
fn photo(props: &PhotoProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let src = use_state(|| None::<String>);
    {
        let (src, url) = (src.clone(), props.url.clone());
        use_effect_with(url, move |url| {
            let url = url.clone();
            let src2 = src.clone();
            if let Some(auth) = auth {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(bytes) = auth.get_bytes(&url).await {
                        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
                        if let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence(&parts)
                            && let Ok(u) = web_sys::Url::create_object_url_with_blob(&blob)
                        {
                            src2.set(Some(u));
                        }
                    }
                });
            }
            move || {
                if let Some(u) = &*src {
                    let _ = web_sys::Url::revoke_object_url(u);
                }
            }
        });
    }
    match &*src {
        Some(u) => html! { <img class="tip-photo" src={u.clone()} alt={s(lang, Msg::Photo)} /> },
        None => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
    }
}
