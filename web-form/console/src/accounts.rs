//! Accounts: the officers and admins of the scope, and a new account — a province officer sets up
//! each ward's police, a ward its schools' and enterprises' admins — with a first password made
//! in the browser to hand over once. Checked by the same `shared` parser as the API.

use crate::strings::Msg;
use bvantq_shared::api::{
    AccountActive, CreateUserRequest, PasswordChange, PasswordReset, TokenResponse, UnitDetail,
    UnitPage, UserDto, UserPage,
};
use bvantq_shared::{Role, UnitKind};
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, failure, field_errors, input_value, select_value};
use crate::strings::{pick, s};

/// A first password: 16 characters from an alphabet without look-alikes, drawn from the
/// browser's cryptographic random source.
fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    if let Some(c) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = c.get_random_values_with_u8_array(&mut bytes);
    }
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// Units an account could be scoped to, as suggestions: the officer's scope unit and the units
/// right below it (any code of the scope can still be typed).
async fn suggestions(auth: &AuthHandle) -> Vec<(String, String, UnitKind)> {
    let Some(me) = auth.me() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Ok(d) = auth
        .get::<UnitDetail>(&format!("/api/v1/units/{}", me.scope_unit))
        .await
    {
        out.push((d.unit.code, d.unit.full_name, d.unit.kind));
    }
    if let Ok(p) = auth
        .get::<UnitPage>(&format!(
            "/api/v1/units?parent={}&limit=1000",
            me.scope_unit
        ))
        .await
    {
        out.extend(
            p.items
                .into_iter()
                .filter(|u| u.current)
                .map(|u| (u.code, u.full_name, u.kind)),
        );
    }
    out
}

#[function_component(Accounts)]
pub fn accounts() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let list = use_state(|| None::<Result<Vec<UserDto>, String>>);
    let units = use_state(Vec::<(String, String, UnitKind)>::new);
    let reload = use_state(|| 0u32);
    let created = use_state(|| None::<(UserDto, String)>);
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let grantable: Vec<Role> = auth
        .me()
        .map(|m| {
            Role::ALL
                .iter()
                .copied()
                .filter(|r| m.role.may_grant(*r))
                .collect()
        })
        .unwrap_or_default();
    let role = use_state(|| grantable.first().copied());
    let (username, display_name, scope, password, phone) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    {
        let (auth, list, units) = (auth.clone(), list.clone(), units.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let got = auth.get::<UserPage>("/api/v1/users?limit=500").await;
                list.set(Some(got.map(|p| p.items).map_err(|e| failure(lang, &e))));
                if units.is_empty() {
                    units.set(suggestions(&auth).await);
                }
            });
        });
    }
    let on_role = {
        let role = role.clone();
        Callback::from(move |e: Event| role.set(Role::parse(&select_value(&e)).ok()))
    };
    let generate = {
        let password = password.clone();
        Callback::from(move |_| {
            if let Some(i) = password.cast::<web_sys::HtmlInputElement>() {
                i.set_value(&new_password());
            }
        })
    };
    let onsubmit = {
        let (username, display_name, scope, password, phone) = (
            username.clone(),
            display_name.clone(),
            scope.clone(),
            password.clone(),
            phone.clone(),
        );
        let (role, errors, busy, created, reload) = (
            role.clone(),
            errors.clone(),
            busy.clone(),
            created.clone(),
            reload.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let phone_v = input_value(&phone);
            let req = CreateUserRequest {
                username: input_value(&username),
                display_name: input_value(&display_name),
                password: input_value(&password),
                role: role.map(|r| r.as_str().to_string()).unwrap_or_default(),
                scope_unit: input_value(&scope).trim().to_string(),
                phone: (!phone_v.trim().is_empty()).then_some(phone_v),
                citizen_id: None,
            };
            if let Err(e) = req.parse() {
                errors.set(from_local(&e));
                return;
            }
            let (auth, errors, busy, created, reload) = (
                auth.clone(),
                errors.clone(),
                busy.clone(),
                created.clone(),
                reload.clone(),
            );
            let form = [
                username.clone(),
                display_name.clone(),
                scope.clone(),
                password.clone(),
                phone.clone(),
            ];
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match auth.post::<_, UserDto>("/api/v1/users", &req).await {
                    Ok(u) => {
                        errors.set(FieldErrors::new());
                        created.set(Some((u, req.password.clone())));
                        for r in &form {
                            if let Some(i) = r.cast::<web_sys::HtmlInputElement>() {
                                i.set_value("");
                            }
                        }
                        reload.set(*reload + 1);
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
                busy.set(false);
            });
        })
    };
    let invalid = |f: &str| errors.contains_key(f).to_string();
    let described = |f: &str| errors.contains_key(f).then(|| format!("err-{f}"));
    let kinds = role.map(|r| r.scope_kinds()).unwrap_or(&[]);
    html! {
        <section class="accounts">
            <h2>{ s(lang, Msg::Accounts) }</h2>
            {
                match &*list {
                    None => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
                    Some(Err(why)) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                    Some(Ok(v)) => html! {
                        <table class="grid" tabindex="0" data-testid="accounts">
                            <thead><tr>
                                <th scope="col">{ s(lang, Msg::Username) }</th>
                                <th scope="col">{ s(lang, Msg::DisplayName) }</th>
                                <th scope="col">{ s(lang, Msg::Role) }</th>
                                <th scope="col">{ s(lang, Msg::ScopeUnit) }</th>
                                <th scope="col">{ s(lang, Msg::AccountState) }</th>
                            </tr></thead>
                            <tbody>
                                { for v.iter().map(|u| {
                                    let changed = {
                                        let reload = reload.clone();
                                        Callback::from(move |_| reload.set(*reload + 1))
                                    };
                                    html! { <AccountRow account={u.clone()} {changed} /> }
                                }) }
                            </tbody>
                        </table>
                    },
                }
            }
            if !grantable.is_empty() {
                <form class="action new-account" {onsubmit} novalidate=true>
                    <h3>{ s(lang, Msg::NewAccount) }</h3>
                    if let Some((u, pw)) = &*created {
                        <div class="notice" data-testid="account-created" role="status">
                            <p>{ s(lang, Msg::AccountCreated) }{ " " }<strong data-data="">{ u.username.clone() }</strong></p>
                            <p>{ s(lang, Msg::FirstPassword) }{ " " }<code class="receipt-code big" data-data="">{ pw.clone() }</code></p>
                        </div>
                    }
                    <label for="role">{ s(lang, Msg::Role) }</label>
                    <select id="role" onchange={on_role}>
                        { for grantable.iter().map(|r| html! {
                            <option value={r.as_str()} selected={Some(*r) == *role}>
                                { pick(lang, r.label_vi(), r.label_en()) }
                            </option>
                        }) }
                    </select>
                    { field_error(lang, &errors, "role") }
                    <label for="scope_unit">{ s(lang, Msg::ScopeUnit) }</label>
                    <p class="hint">{ s(lang, Msg::ScopeHint) }</p>
                    <input id="scope_unit" ref={scope} list="scope-units" autocapitalize="characters"
                        aria-invalid={invalid("scope_unit")} aria-describedby={described("scope_unit")} />
                    <datalist id="scope-units">
                        { for units.iter().filter(|u| kinds.contains(&u.2)).map(|(code, name, _)| html! {
                            <option value={code.clone()}>{ name.clone() }</option>
                        }) }
                    </datalist>
                    { field_error(lang, &errors, "scope_unit") }
                    <label for="username">{ s(lang, Msg::Username) }</label>
                    <p class="hint">{ s(lang, Msg::UsernameHint) }</p>
                    <input id="username" ref={username} autocapitalize="none" autocomplete="off"
                        aria-invalid={invalid("username")} aria-describedby={described("username")} />
                    { field_error(lang, &errors, "username") }
                    <label for="display_name">{ s(lang, Msg::DisplayName) }</label>
                    <input id="display_name" ref={display_name} autocomplete="off"
                        aria-invalid={invalid("display_name")} aria-describedby={described("display_name")} />
                    { field_error(lang, &errors, "display_name") }
                    <label for="account-phone">{ s(lang, Msg::WorkPhone) }</label>
                    <input id="account-phone" ref={phone} inputmode="tel" autocomplete="off"
                        aria-invalid={invalid("phone")} aria-describedby={described("phone")} />
                    { field_error(lang, &errors, "phone") }
                    <label for="account-password">{ s(lang, Msg::FirstPasswordLabel) }</label>
                    <div class="toolbar">
                        <input id="account-password" ref={password} autocomplete="new-password"
                            aria-invalid={invalid("password")} aria-describedby={described("password")} />
                        <button class="secondary" type="button" onclick={generate}>{ s(lang, Msg::Generate) }</button>
                    </div>
                    { field_error(lang, &errors, "password") }
                    <div aria-live="polite">{ field_error(lang, &errors, "form") }</div>
                    <button class="primary" type="submit" disabled={*busy}>{ s(lang, Msg::CreateAccount) }</button>
                </form>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    account: UserDto,
    changed: Callback<()>,
}

/// One account, with what its manager may do: lock or unlock it, set a new password (shown once).
#[function_component(AccountRow)]
fn account_row(props: &RowProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let new_pw = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    let u = &props.account;
    let manages = auth
        .as_ref()
        .and_then(AuthHandle::me)
        .is_some_and(|m| m.id != u.id && m.role.may_manage(u.role));
    let toggle = {
        let (auth, error, changed) = (auth.clone(), error.clone(), props.changed.clone());
        let (id, active) = (u.id.clone(), !u.active);
        Callback::from(move |_| {
            let Some(auth) = auth.clone() else { return };
            let (error, changed, id) = (error.clone(), changed.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/users/{id}/active");
                match auth
                    .put::<_, UserDto>(&url, &AccountActive { active })
                    .await
                {
                    Ok(_) => changed.emit(()),
                    Err(e) => error.set(Some(failure(lang, &e))),
                }
            });
        })
    };
    let reset = {
        let (auth, error, new_pw) = (auth.clone(), error.clone(), new_pw.clone());
        let id = u.id.clone();
        Callback::from(move |_| {
            let Some(auth) = auth.clone() else { return };
            let (error, new_pw, id) = (error.clone(), new_pw.clone(), id.clone());
            let password = new_password();
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/users/{id}/password");
                let body = PasswordReset {
                    password: password.clone(),
                };
                match auth.put_empty(&url, &body).await {
                    Ok(()) => new_pw.set(Some(password)),
                    Err(e) => error.set(Some(failure(lang, &e))),
                }
            });
        })
    };
    html! {
        <tr class={(!u.active).then_some("inactive")} data-account={u.username.clone()}>
            <td class="code" data-data="">{ u.username.clone() }</td>
            <td data-data="">{ u.display_name.clone() }</td>
            <td>{ pick(lang, u.role.label_vi(), u.role.label_en()) }</td>
            <td class="code" data-data="">{ u.scope_unit.clone() }</td>
            <td>
                <span class="account-state">{ s(lang, if u.active { Msg::AccountActive } else { Msg::AccountLocked }) }</span>
                if manages {
                    <div class="toolbar">
                        <button class="secondary lock" onclick={toggle}>
                            { s(lang, if u.active { Msg::Lock } else { Msg::Unlock }) }
                        </button>
                        <button class="secondary reset" onclick={reset}>{ s(lang, Msg::ResetPassword) }</button>
                    </div>
                }
                if let Some(pw) = &*new_pw {
                    <p class="notice" data-testid="new-password">
                        { s(lang, Msg::NewPassword) }{ " " }<code data-data="">{ pw.clone() }</code>
                    </p>
                }
                if let Some(e) = &*error {
                    <p class="field-error" role="alert">{ e.clone() }</p>
                }
            </td>
        </tr>
    }
}

/// One's own password: the current one, then the new one. Other sessions end; this one goes on
/// with the fresh tokens the server returns.
#[function_component(ChangePassword)]
pub fn change_password() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let (current, new) = (use_node_ref(), use_node_ref());
    let errors = use_state(FieldErrors::new);
    let done = use_state(|| false);
    let busy = use_state(|| false);
    let onsubmit = {
        let (current, new, errors, done, busy) = (
            current.clone(),
            new.clone(),
            errors.clone(),
            done.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let req = PasswordChange {
                current_password: input_value(&current),
                new_password: input_value(&new),
            };
            if let Err(e) = req.parse() {
                errors.set(from_local(&e));
                return;
            }
            let (errors, done, busy, form) = (
                errors.clone(),
                done.clone(),
                busy.clone(),
                [current.clone(), new.clone()],
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match auth
                    .post::<_, TokenResponse>("/api/v1/auth/password", &req)
                    .await
                {
                    Ok(t) => {
                        auth.replace(t);
                        errors.set(FieldErrors::new());
                        done.set(true);
                        for r in &form {
                            if let Some(i) = r.cast::<web_sys::HtmlInputElement>() {
                                i.set_value("");
                            }
                        }
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
                busy.set(false);
            });
        })
    };
    let invalid = |f: &str| errors.contains_key(f).to_string();
    let described = |f: &str| errors.contains_key(f).then(|| format!("err-{f}"));
    html! {
        <form class="change-password" {onsubmit} novalidate=true>
            <h2>{ s(lang, Msg::ChangePassword) }</h2>
            <label for="current_password">{ s(lang, Msg::CurrentPassword) }</label>
            <input id="current_password" ref={current} type="password" autocomplete="current-password"
                aria-invalid={invalid("current_password")} aria-describedby={described("current_password")} />
            { field_error(lang, &errors, "current_password") }
            <label for="new_password">{ s(lang, Msg::FirstPasswordLabel) }</label>
            <input id="new_password" ref={new} type="password" autocomplete="new-password"
                aria-invalid={invalid("new_password")} aria-describedby={described("new_password")} />
            { field_error(lang, &errors, "new_password") }
            <div aria-live="polite">
                { field_error(lang, &errors, "form") }
                if *done {
                    <p class="notice" data-testid="password-changed">{ s(lang, Msg::PasswordChanged) }</p>
                }
            </div>
            <button class="primary" type="submit" disabled={*busy}>{ s(lang, Msg::ChangePassword) }</button>
        </form>
    }
}
