//! Urgent-tip notices, wherever the officer is in the console: a life-safety tip or a transfer due
//! within 24 hours appears at once (the server's event stream), with a sound and a browser
//! notification where the officer allowed them, and a button that opens the tip. A notice says
//! which commune and why; the tip's content stays behind the audited read.

use std::cell::Cell;
use std::collections::HashSet;
use std::rc::Rc;
use std::time::Duration;

use bvantq_shared::tip::notice::Notice;
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, pick_owned, vn_time};
use crate::strings::{Msg, label, s};

#[derive(Properties, PartialEq)]
pub struct AlertsProps {
    /// Opens the tip of a notice (in the tips view).
    pub on_open: Callback<String>,
}

/// A short tone (WebAudio): a browser that has not been interacted with stays silent, which is
/// all the page can do about it.
fn beep() {
    let Ok(ctx) = web_sys::AudioContext::new() else {
        return;
    };
    let (Ok(osc), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else {
        return;
    };
    osc.set_type(web_sys::OscillatorType::Square);
    osc.frequency().set_value(880.0);
    gain.gain().set_value(0.1);
    let t = ctx.current_time();
    if osc.connect_with_audio_node(&gain).is_ok()
        && gain.connect_with_audio_node(&ctx.destination()).is_ok()
        && osc.start().is_ok()
    {
        let _ = osc.stop_with_when(t + 0.6);
    }
}

/// A browser notification, where the officer allowed them (asked once, on the first notice).
fn notify(lang: Lang, n: &Notice) {
    use web_sys::{Notification, NotificationOptions, NotificationPermission};
    let body = pick_owned(lang, &n.message_vi, &n.message_en);
    match Notification::permission() {
        NotificationPermission::Granted => {
            let opts = NotificationOptions::new();
            opts.set_body(&body);
            opts.set_tag(&n.id);
            let _ = Notification::new_with_options(label(lang, n.kind), &opts);
        }
        NotificationPermission::Default => {
            let _ = Notification::request_permission();
        }
        _ => {}
    }
}

#[function_component(Alerts)]
pub fn alerts(props: &AlertsProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    // Unopened notices, newest first, and the ids the officer dismissed here.
    let notices = use_state(Vec::<Notice>::new);
    {
        let notices = notices.clone();
        use_effect_with(auth.is_some(), move |signed_in| {
            let alive = Rc::new(Cell::new(*signed_in));
            if let Some(auth) = auth.filter(|_| *signed_in) {
                let alive = alive.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let mut seen = HashSet::new();
                    let mut shown: Vec<Notice> = Vec::new();
                    while alive.get() {
                        let mut on_data = |data: &str| {
                            let Ok(n) = serde_json::from_str::<Notice>(data) else {
                                return;
                            };
                            if seen.insert(n.id.clone()) && n.opened_at.is_none() {
                                beep();
                                notify(lang, &n);
                                shown.insert(0, n);
                                notices.set(shown.clone());
                            }
                        };
                        // Ends after ten minutes or on a dropped connection: open a new one.
                        let _ = auth.stream("/api/v1/notices/stream", &mut on_data).await;
                        yew::platform::time::sleep(Duration::from_secs(3)).await;
                    }
                });
            }
            move || alive.set(false)
        });
    }
    if notices.is_empty() {
        return html! {};
    }
    html! {
        <section class="alerts" role="alert" aria-live="assertive" data-testid="alerts">
            <h2>{ s(lang, Msg::Alerts) }</h2>
            <ul>
                { for notices.iter().map(|n| {
                    let open = {
                        let (on_open, id, notices, nid) =
                            (props.on_open.clone(), n.tip_id.clone(), notices.clone(), n.id.clone());
                        Callback::from(move |_| {
                            notices.set(notices.iter().filter(|x| x.id != nid).cloned().collect());
                            on_open.emit(id.clone());
                        })
                    };
                    html! {
                        <li class={classes!("alert", n.kind.as_str())} data-kind={n.kind.as_str()}>
                            <p>
                                <strong>{ label(lang, n.kind) }</strong>{ " · " }{ vn_time(n.created_at) }
                            </p>
                            <p data-data="">{ pick_owned(lang, &n.message_vi, &n.message_en) }</p>
                            <button class="primary" onclick={open}>{ s(lang, Msg::OpenTip) }</button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
