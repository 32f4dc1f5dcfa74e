//! The receipt a signer keeps: its number, its QR code and the page that verifies it.

use bvantq_shared::pledge::{PledgeReceipt, PublicCampaign};
use yew::prelude::*;

use crate::i18n::{Lang, Msg, t};

pub(super) fn receipt(
    lang: Lang,
    c: &PublicCampaign,
    r: &PledgeReceipt,
    contest: Option<Callback<MouseEvent>>,
) -> Html {
    let base = crate::request::api_base();
    let qr = format!("{base}/api/v1/pledges/verify/{}/qr.svg", r.receipt);
    let heading = match (r.disputed, r.created) {
        (true, _) => t(lang, Msg::Contested),
        (false, true) => t(lang, Msg::ThankYou),
        (false, false) => t(lang, Msg::AlreadySigned),
    };
    html! {
        <section class="receipt" data-testid="receipt">
            <h2>{ heading }</h2>
            <p>{ t(lang, Msg::ReceiptNumber) }</p>
            <p class="receipt-code" data-testid="receipt-code">{ &r.receipt }</p>
            <p class="muted">{ &c.title }</p>
            <img class="qr" src={qr} width="180" height="180" alt={t(lang, Msg::VerifyQr)} />
            <p><a href={format!("{base}{}", r.verify_url)}>{ t(lang, Msg::VerifyLink) }</a></p>
            if let Some(onclick) = contest {
                <p class="hint">{ t(lang, Msg::NotYou) }</p>
                <button type="button" class="secondary" data-testid="contest" {onclick}>{ t(lang, Msg::Contest) }</button>
            }
        </section>
    }
}
