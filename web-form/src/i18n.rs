//! Every user-facing string, Vietnamese first and English second (the table is `shared::i18n`,
//! which the server's own pages read too); the choice is remembered on the phone.

pub use bvantq_shared::i18n::{Lang, Msg, other_lang, t};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LangContext(pub Lang);

const STORAGE_KEY: &str = "bvantq.lang";

/// The language to start in: the one the server drew the page in (`<html lang>`, from the
/// address's `?lang=` or the language cookie), so taking the page over changes no word; else
/// the one last chosen on this phone.
pub fn load() -> Lang {
    let drawn = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("bvantq-app"))
        .filter(|host| host.has_attribute("data-server"))
        .and_then(|_| {
            web_sys::window()?
                .document()?
                .document_element()?
                .get_attribute("lang")
        });
    if let Some(tag) = drawn {
        return Lang::from_tag(&tag);
    }
    let stored = crate::form::storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let lang = Lang::from_tag(stored.as_deref().unwrap_or("vi"));
    mark_page(lang);
    lang
}

/// Says the page's language on `<html lang>`, so a screen reader reads the words in the voice
/// of the language they are in (WCAG 3.1.1). Not inside another site's page, whose own language
/// stays its own: there the form's element carries `lang`.
fn mark_page(lang: Lang) {
    if crate::outbox::embedded() {
        return;
    }
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// Remembers the choice on the phone, and in a cookie the server reads to draw the next page in
/// it.
pub fn store(lang: Lang) {
    mark_page(lang);
    if let Some(s) = crate::form::storage() {
        let _ = s.set_item(STORAGE_KEY, lang.tag());
    }
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        let html: &web_sys::HtmlDocument = wasm_bindgen::JsCast::unchecked_ref(&d);
        let _ = html.set_cookie(&format!(
            "{}={}; path=/; max-age=31536000; samesite=lax",
            bvantq_shared::i18n::LANG_COOKIE,
            lang.tag()
        ));
    }
}
