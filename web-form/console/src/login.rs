//! Signing in: username and password, or a session that expired.

use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::{self, Session};
use crate::helpers::{Ctx, failure};
use crate::strings::{Msg, s};

#[function_component(Login)]
pub fn login(props: &LoginProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let username = use_node_ref();
    let password = use_node_ref();
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (username, password, error, busy) = (
            username.clone(),
            password.clone(),
            error.clone(),
            busy.clone(),
        );
        let on_login = props.on_login.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| {
                r.cast::<web_sys::HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let (u, p) = (value(&username), value(&password));
            if u.trim().is_empty() || p.is_empty() {
                error.set(Some(format!(
                    "{}: {}, {}",
                    s(lang, Msg::Required),
                    s(lang, Msg::Username),
                    s(lang, Msg::Password)
                )));
                return;
            }
            let (error, busy, on_login) = (error.clone(), busy.clone(), on_login.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::login(&u, &p).await {
                    Ok(session) => on_login.emit(session),
                    Err(e) => {
                        error.set(Some(failure(lang, &e)));
                        busy.set(false);
                    }
                }
            });
        })
    };
    html! {
        <form class="login" {onsubmit} novalidate=true>
            <h2>{ s(lang, Msg::SignIn) }</h2>
            if let Some(reason) = &props.notice {
                <p class="notice" role="status">{ reason.clone() }</p>
            }
            <div class="field">
                <label for="username">{ s(lang, Msg::Username) }</label>
                <input id="username" ref={username} autocomplete="username" autocapitalize="none" />
            </div>
            <div class="field">
                <label for="password">{ s(lang, Msg::Password) }</label>
                <input id="password" ref={password} type="password" autocomplete="current-password" />
            </div>
            <p class="field-error" aria-live="assertive" data-testid="login-error">
                { (*error).clone().unwrap_or_default() }
            </p>
            <button class="primary" type="submit" disabled={*busy}>
                { s(lang, if *busy { Msg::SigningIn } else { Msg::SignIn }) }
            </button>
            <p class="hint">{ s(lang, Msg::SessionNote) }</p>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct LoginProps {
    pub on_login: Callback<Session>,
    pub notice: Option<String>,
}
