//! The security team (Tổ bảo vệ an ninh, trật tự) of each residential area: the decision that
//! established it, its members, the year's review, and whether it counts.

use bvantq_shared::records::{
    MemberRequest, RatingRequest, TeamBoard, TeamPosition, TeamRating, TeamRequest,
};
use web_form::form::{FieldErrors, day, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use super::{date_of, required_date_of, share_text};
use crate::api::AuthHandle;
use crate::helpers::{Ctx, field_errors, value_of};
use crate::strings::{Msg, label, s};

/// The server's `members.{k}.…` errors moved to the row `placed[k]` they came from.
fn on_rows(errors: FieldErrors, placed: &[usize]) -> FieldErrors {
    errors
        .into_iter()
        .map(|(field, msg)| {
            let moved = field.strip_prefix("members.").and_then(|rest| {
                let (k, tail) = rest.split_once('.')?;
                let row = placed.get(k.parse::<usize>().ok()?)?;
                Some(format!("members.{row}.{tail}"))
            });
            (moved.unwrap_or(field), msg)
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub(super) struct TeamsProps {
    pub board: TeamBoard,
    pub done: Callback<()>,
}

#[function_component(Teams)]
pub(super) fn teams(p: &TeamsProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let errors = use_state(FieldErrors::new);
    let rows = use_state(|| 3usize);
    let b = &p.board;
    let submit = {
        let (auth, errors, done, rows) = (auth.clone(), errors.clone(), p.done.clone(), *rows);
        let year = b.year;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut bad = FieldErrors::new();
            let founded = required_date_of("team-founded", "founded_on", &mut bad);
            // The rows sent, by their place on screen (a row left empty is not a member), so the
            // server's `members.{k}.…` lands on the row it is about.
            let (mut members, mut placed) = (Vec::new(), Vec::new());
            for i in 0..rows {
                let name = value_of(&format!("member-{i}-name"));
                let phone = value_of(&format!("member-{i}-phone"));
                let trained = date_of(
                    &format!("member-{i}-trained"),
                    &format!("members.{i}.trained_on"),
                    &mut bad,
                );
                if name.trim().is_empty() && phone.trim().is_empty() && trained == Some(None) {
                    continue;
                }
                placed.push(i);
                members.push(MemberRequest {
                    name,
                    position: value_of(&format!("member-{i}-position")),
                    phone: (!phone.trim().is_empty()).then_some(phone),
                    trained_on: trained.flatten(),
                });
            }
            let Some(founded_on) = founded.filter(|_| bad.is_empty()) else {
                errors.set(bad);
                return;
            };
            let req = TeamRequest {
                founded_on,
                decision_number: value_of("team-decision"),
                members,
            };
            let rating = value_of("team-rating");
            let code = value_of("team-area");
            let (auth, errors, done) = (auth.clone(), errors.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/units/{code}/security-team");
                if let Err(e) = auth
                    .put::<_, bvantq_shared::records::Team>(&url, &req)
                    .await
                {
                    errors.set(on_rows(field_errors(&e), &placed));
                    return;
                }
                if !rating.is_empty() {
                    let url = format!("/api/v1/units/{code}/security-team/ratings/{year}");
                    let req = RatingRequest { rating };
                    if let Err(e) = auth
                        .put::<_, bvantq_shared::records::Team>(&url, &req)
                        .await
                    {
                        errors.set(field_errors(&e));
                        return;
                    }
                }
                errors.set(FieldErrors::new());
                done.emit(());
            });
        })
    };
    let more = {
        let rows = rows.clone();
        Callback::from(move |_| rows.set((*rows + 1).min(bvantq_shared::records::TEAM_MEMBERS_MAX)))
    };
    html! {
        <>
            <p data-testid="team-share">
                { share_text(lang, b.share.counted, b.share.units, b.share.percent, Msg::TeamsShare) }
            </p>
            <p class="hint">{ s(lang, Msg::TeamsRule) }</p>
            <ul class="plans" data-testid="team-areas">
                { for b.lines.iter().map(|l| html! {
                    <li>
                        <strong data-data="">{ l.unit_name.clone() }</strong>
                        <span class="row-meta">
                            { match &l.team {
                                None => html! { { s(lang, Msg::NoTeam) } },
                                Some(t) => html! {
                                    <>
                                        { s(lang, Msg::TeamDecision) }{ " " }
                                        <span data-data="">{ t.decision_number.clone() }</span>
                                        { format!(" · {} ", day(t.founded_on)) }
                                        { format!("· {} {} ({} {}) · ", t.members.len(), s(lang, Msg::ModelMembers), t.trained, s(lang, Msg::Trained)) }
                                        { label(lang, TeamPosition::Leader) }{ ": " }
                                        { match t.members.iter().find(|m| m.position == TeamPosition::Leader) {
                                            Some(m) => html! { <span data-data="">{ m.name.clone() }</span> },
                                            None => html! { { s(lang, Msg::NoLeader) } },
                                        } }
                                        { " · " }
                                        { match t.rating { Some(r) => label(lang, r), None => s(lang, Msg::NotRated) } }
                                        if t.counts { { " ✓ " }{ s(lang, Msg::Counts) } }
                                    </>
                                },
                            } }
                        </span>
                    </li>
                }) }
            </ul>
            if !b.lines.is_empty() {
                <form class="emulation-form" onsubmit={submit} novalidate=true data-testid="team-form">
                    <h4>{ s(lang, Msg::TeamSet) }</h4>
                    <div class="field">
                        <label for="team-area">{ s(lang, Msg::FestivalArea) }</label>
                        <select id="team-area">
                            { for b.lines.iter().map(|l| html! {
                                <option value={l.unit_code.clone()} data-data="">{ l.unit_name.clone() }</option>
                            }) }
                        </select>
                        { field_error(lang, &errors, "code") }
                    </div>
                    <div class="field">
                        <label for="team-founded">{ s(lang, Msg::TeamFounded) }</label>
                        <input id="team-founded" type="date" />
                        { field_error(lang, &errors, "founded_on") }
                    </div>
                    <div class="field">
                        <label for="team-decision">{ s(lang, Msg::TeamDecisionInput) }</label>
                        <input id="team-decision" type="text" />
                        { field_error(lang, &errors, "decision_number") }
                    </div>
                    <fieldset>
                        <legend>{ s(lang, Msg::TeamMembers) }</legend>
                        { field_error(lang, &errors, "members") }
                        { for (0..*rows).map(|i| html! {
                            <div class="member-row">
                                <div class="field">
                                    <label for={format!("member-{i}-name")}>{ format!("{} {}", s(lang, Msg::MemberName), i + 1) }</label>
                                    <input id={format!("member-{i}-name")} type="text" autocomplete="off" />
                                    { field_error(lang, &errors, &format!("members.{i}.name")) }
                                </div>
                                <div class="field">
                                    <label for={format!("member-{i}-position")}>{ s(lang, Msg::MemberPosition) }</label>
                                    <select id={format!("member-{i}-position")}>
                                        { for TeamPosition::ALL.iter().map(|t| html! {
                                            <option value={t.as_str()} selected={if i == 0 { *t == TeamPosition::Leader } else { *t == TeamPosition::Member }}>{ label(lang, *t) }</option>
                                        }) }
                                    </select>
                                    { field_error(lang, &errors, &format!("members.{i}.position")) }
                                </div>
                                <div class="field">
                                    <label for={format!("member-{i}-phone")}>{ s(lang, Msg::MemberPhone) }</label>
                                    <input id={format!("member-{i}-phone")} type="tel" autocomplete="off" />
                                    { field_error(lang, &errors, &format!("members.{i}.phone")) }
                                </div>
                                <div class="field">
                                    <label for={format!("member-{i}-trained")}>{ s(lang, Msg::MemberTrained) }</label>
                                    <input id={format!("member-{i}-trained")} type="date" />
                                    { field_error(lang, &errors, &format!("members.{i}.trained_on")) }
                                </div>
                            </div>
                        }) }
                        <button type="button" class="secondary" onclick={more}>{ s(lang, Msg::MemberAdd) }</button>
                    </fieldset>
                    <div class="field">
                        <label for="team-rating">{ format!("{} {}", s(lang, Msg::TeamReview), b.year) }</label>
                        <select id="team-rating">
                            <option value="" selected=true>{ s(lang, Msg::NotRated) }</option>
                            { for TeamRating::ALL.iter().map(|r| html! {
                                <option value={r.as_str()}>{ label(lang, *r) }</option>
                            }) }
                        </select>
                        { field_error(lang, &errors, "rating") }
                    </div>
                    { field_error(lang, &errors, "form") }
                    <button class="primary" type="submit">{ s(lang, Msg::TeamSave) }</button>
                </form>
            }
        </>
    }
}
