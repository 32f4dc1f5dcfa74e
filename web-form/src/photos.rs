//! Photos chosen on the phone are shrunk before upload: drawn onto a canvas at most
//! [`MAX_SIDE`] pixels wide or high and re-encoded as JPEG. Re-encoding also drops the file's
//! metadata (the server strips it again, whatever arrives).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, File, HtmlCanvasElement, HtmlImageElement, Url};

pub const MAX_SIDE: u32 = 1600;
const QUALITY: f64 = 0.8;

/// The photo as a `data:image/jpeg;base64,…` URL, shrunk.
pub async fn shrink(file: &File) -> Result<String, String> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let url = Url::create_object_url_with_blob(file).map_err(|_| "cannot read the file")?;
    let img: HtmlImageElement = doc
        .create_element("img")
        .map_err(|_| "no img")?
        .unchecked_into();
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        img.set_onload(Some(&resolve));
        img.set_onerror(Some(&reject));
    });
    img.set_src(&url);
    let result = JsFuture::from(loaded).await;
    let _ = Url::revoke_object_url(&url);
    result.map_err(|_| "not an image".to_string())?;
    let (w, h) = (img.natural_width().max(1), img.natural_height().max(1));
    let scale = (f64::from(MAX_SIDE) / f64::from(w.max(h))).min(1.0);
    let (cw, ch) = (
        (f64::from(w) * scale).round() as u32,
        (f64::from(h) * scale).round() as u32,
    );
    let canvas: HtmlCanvasElement = doc
        .create_element("canvas")
        .map_err(|_| "no canvas")?
        .unchecked_into();
    canvas.set_width(cw);
    canvas.set_height(ch);
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or("no 2d context")?
        .unchecked_into();
    ctx.draw_image_with_html_image_element_and_dw_and_dh(
        &img,
        0.0,
        0.0,
        f64::from(cw),
        f64::from(ch),
    )
    .map_err(|_| "cannot draw")?;
    canvas
        .to_data_url_with_type_and_encoder_options("image/jpeg", &QUALITY.into())
        .map_err(|_| "cannot encode".to_string())
}

/// The files of a file input.
fn files_of(input: &web_sys::HtmlInputElement) -> Vec<File> {
    let Some(list) = input.files() else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The `onchange` of a photo input: each chosen file shrunk and added to `photos` (at most
/// [`bvantq_shared::tip::MAX_PHOTOS`]); `on_fail` hears of a file that is not an image.
pub fn picker(
    photos: yew::UseStateHandle<Vec<String>>,
    on_fail: yew::Callback<()>,
) -> yew::Callback<web_sys::Event> {
    yew::Callback::from(move |e: web_sys::Event| {
        use yew::TargetCast;
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        let files = files_of(&input);
        let (photos, on_fail) = (photos.clone(), on_fail.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let mut out = (*photos).clone();
            for f in files {
                match shrink(&f).await {
                    Ok(data) => out.push(data),
                    Err(_) => on_fail.emit(()),
                }
            }
            out.truncate(bvantq_shared::tip::MAX_PHOTOS);
            photos.set(out);
        });
    })
}
