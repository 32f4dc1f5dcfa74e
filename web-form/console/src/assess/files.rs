//! The evidence files of an assessment (biên bản, nghị quyết, ảnh): listed under the criterion
//! each supports, downloaded by whoever sees the assessment, attached by whoever prepares it while
//! it can change (PDF, JPEG, PNG or WebP, at most 10 MB — the server checks the bytes).

use bvantq_shared::assessment::{CriteriaSet, EvidenceFile};
use web_form::form::{FieldErrors, field_error, form_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, failure, field_errors, pick_owned, value_of};
use crate::strings::{Msg, s};

/// The most bytes a file may have (the server's limit, checked here first).
const MAX_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

#[derive(Properties, PartialEq)]
pub struct FilesProps {
    pub code: String,
    pub period: i32,
    pub set: Box<CriteriaSet>,
    pub files: Vec<EvidenceFile>,
    /// Whether the caller may attach one now.
    pub may_attach: bool,
    /// Called once a file is attached (the assessment is read again).
    pub on_attached: Callback<()>,
}

fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} kB", (bytes + 1023) / 1024)
    }
}

#[function_component(EvidenceFiles)]
pub fn evidence_files(p: &FilesProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let input = use_node_ref();
    let download = |f: &EvidenceFile| {
        let (auth, errors) = (auth.clone(), errors.clone());
        let url = format!("/api/v1/assessments/{}/{}/files/{}", p.code, p.period, f.id);
        let name = f.filename.clone();
        Callback::from(move |_| {
            let (auth, errors, url, name) =
                (auth.clone(), errors.clone(), url.clone(), name.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match auth.get_bytes(&url).await {
                    Ok(bytes) => crate::results::download(&bytes, &name),
                    Err(e) => {
                        let why = failure(lang, &e);
                        errors.set(form_error(&why, &why));
                    }
                }
            });
        })
    };
    let attach = {
        let (auth, errors, busy, input) =
            (auth.clone(), errors.clone(), busy.clone(), input.clone());
        let (code, period, on_attached) = (p.code.clone(), p.period, p.on_attached.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let file = match crate::helpers::chosen_file(&input) {
                Ok(f) => f,
                Err(m) => {
                    errors.set(m);
                    return;
                }
            };
            if file.size() > MAX_BYTES {
                errors.set(form_error(Msg::FileTooLarge.vi(), Msg::FileTooLarge.en()));
                return;
            }
            let criterion = value_of("evidence-criterion");
            let name = file.name();
            let (auth, errors, busy, on_attached, input) = (
                auth.clone(),
                errors.clone(),
                busy.clone(),
                on_attached.clone(),
                input.clone(),
            );
            let url = format!(
                "/api/v1/assessments/{code}/{period}/files?criterion={}&filename={}",
                js_sys::encode_uri_component(&criterion),
                js_sys::encode_uri_component(&name),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let Some(buf) = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
                    .await
                    .ok()
                else {
                    errors.set(form_error(
                        Msg::FileUnreadable.vi(),
                        Msg::FileUnreadable.en(),
                    ));
                    busy.set(false);
                    return;
                };
                let bytes = js_sys::Uint8Array::new(&buf).to_vec();
                match auth.post_bytes::<EvidenceFile>(&url, &bytes).await {
                    Ok(_) => {
                        // Ready for the next file.
                        if let Some(i) = input.cast::<web_sys::HtmlInputElement>() {
                            i.set_value("");
                        }
                        errors.set(FieldErrors::new());
                        on_attached.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
                busy.set(false);
            });
        })
    };
    let title_of = |code: &str| {
        p.set
            .criteria
            .iter()
            .find(|c| c.code == code)
            .map(|c| pick_owned(lang, &c.title_vi, &c.title_en))
    };
    html! {
        <section data-testid="evidence-files">
            <h3>{ s(lang, Msg::EvidenceFiles) }</h3>
            if p.files.is_empty() {
                <p class="muted">{ s(lang, Msg::NoEvidenceFiles) }</p>
            } else {
                <ul class="plans" data-testid="evidence-list">
                    { for p.files.iter().map(|f| html! {
                        <li>
                            <span data-data="">{ f.filename.clone() }</span>
                            <span class="row-meta">
                                { s(lang, Msg::Criterion) }{ format!(" {}", f.criterion) }
                                if let Some(t) = title_of(&f.criterion) {
                                    { " — " }<span data-data="">{ t }</span>
                                }
                                { format!(" · {}", size(f.size_bytes)) }
                            </span>
                            <button class="link" type="button" onclick={download(f)}>{ s(lang, Msg::Download) }</button>
                        </li>
                    }) }
                </ul>
            }
            if p.may_attach {
                <form class="emulation-form" onsubmit={attach} novalidate=true data-testid="evidence-form">
                    <div class="field">
                        <label for="evidence-criterion">{ s(lang, Msg::Criterion) }</label>
                        <select id="evidence-criterion">
                            { for p.set.criteria.iter().enumerate().map(|(i, c)| html! {
                                <option value={c.code.clone()} selected={i == 0}>
                                    { format!("{}. ", c.code) }{ pick_owned(lang, &c.title_vi, &c.title_en) }
                                </option>
                            }) }
                        </select>
                        { field_error(lang, &errors, "criterion") }
                    </div>
                    <div class="field">
                        <label for="evidence-file">{ s(lang, Msg::EvidenceFile) }</label>
                        <input id="evidence-file" type="file" ref={input}
                            accept="application/pdf,image/jpeg,image/png,image/webp" />
                        { field_error(lang, &errors, "file") }
                        { field_error(lang, &errors, "filename") }
                    </div>
                    <button class="secondary" type="submit" disabled={*busy}>{ s(lang, Msg::AttachFile) }</button>
                </form>
            }
            <div aria-live="polite">{ field_error(lang, &errors, "form") }</div>
        </section>
    }
}
