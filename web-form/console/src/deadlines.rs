//! The year's deadlines on the results page (`shared::plan::deadline`): registration,
//! recognition and classification, each with its days, how many units have done it and the units
//! still missing with why; and the records of the year counted per group of units.

use bvantq_shared::plan::GroupLine;
use bvantq_shared::plan::calendar::StepState;
use bvantq_shared::plan::deadline::Deadline;
use web_form::form::day;
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::helpers::pick_owned;
use crate::strings::{Msg, label, pick, s};

/// Each deadline as a card: the step, its days and state, done of owed, and the missing units
/// behind a disclosure.
pub fn deadlines(lang: Lang, lines: &[Deadline]) -> Html {
    html! {
        <ul class="plans" data-testid="deadlines">
            { for lines.iter().map(|d| {
                let e = &d.entry;
                let class = match e.state {
                    StepState::Past if d.done < d.owed => "clock overdue",
                    StepState::Past => "clock stopped",
                    StepState::Open => "clock due-soon",
                    StepState::Upcoming => "clock on-time",
                };
                let missing = d.owed - d.done;
                let more = missing - d.missing.len() as i64;
                html! {
                    <li data-testid={format!("deadline-{}", e.step.as_str())}>
                        <strong>{ pick_owned(lang, &e.label_vi, &e.label_en) }</strong>
                        <span class="row-meta">
                            { s(lang, Msg::DeadlineDue) }{ " " }
                            if let Some(o) = e.opens_on {
                                { format!("{} – ", day(o)) }
                            }
                            { day(e.due_on) }{ " · " }
                            <span class={class}>{ label(lang, e.state) }</span>
                        </span>
                        <p data-testid="deadline-done">
                            { format!("{}/{} ", d.done, d.owed) }{ s(lang, Msg::DeadlineDone) }
                            if d.awaiting_decision > 0 {
                                { format!(" · {} ", d.awaiting_decision) }{ s(lang, Msg::DeadlineAwaiting) }
                            }
                        </p>
                        if missing > 0 {
                            <details>
                                <summary>{ format!("{} ({missing})", s(lang, Msg::DeadlineMissing)) }</summary>
                                <ul class="missing">
                                    { for d.missing.iter().map(|m| html! {
                                        <li>
                                            <span data-data="">{ m.unit_name.clone() }</span>
                                            { " — " }{ label(lang, m.missing) }
                                        </li>
                                    }) }
                                    if more > 0 {
                                        <li class="muted">{ format!("… {more} ") }{ s(lang, Msg::DeadlineMore) }</li>
                                    }
                                </ul>
                            </details>
                        }
                    </li>
                }
            }) }
        </ul>
    }
}

/// The records of the year per group of units: registered, outside the Thông tư, with a model,
/// with a security team (residential areas), fully briefed (agencies, enterprises, schools).
pub fn records(lang: Lang, groups: &[GroupLine]) -> Html {
    use bvantq_shared::plan::Group;
    let dash = || html! { <td>{ "—" }</td> };
    html! {
        <table class="grid" tabindex="0" data-testid="year-records">
            <thead><tr>
                <th scope="col">{ s(lang, Msg::Group) }</th>
                <th scope="col">{ s(lang, Msg::Units) }</th>
                <th scope="col">{ s(lang, Msg::RecordsRegistered) }</th>
                <th scope="col">{ s(lang, Msg::RecordsExcluded) }</th>
                <th scope="col">{ s(lang, Msg::RecordsModel) }</th>
                <th scope="col">{ s(lang, Msg::RecordsTeam) }</th>
                <th scope="col">{ s(lang, Msg::RecordsBriefed) }</th>
            </tr></thead>
            <tbody>
                { for groups.iter().filter(|g| g.counts.units > 0).map(|g| {
                    let c = &g.counts;
                    html! {
                        <tr>
                            <th scope="row">{ pick(lang, g.group.label_vi(), g.group.label_en()) }</th>
                            <td>{ c.units }</td>
                            <td>{ c.registered }</td>
                            <td>{ c.excluded }</td>
                            <td>{ c.with_model }</td>
                            if g.group == Group::ResidentialArea { <td>{ c.with_team }</td> } else { { dash() } }
                            if g.group == Group::Organisation { <td>{ c.briefed }</td> } else { { dash() } }
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}
