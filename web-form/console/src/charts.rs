//! Pictures of the results, drawn as plain SVG (no chart library): pledge coverage per child
//! unit as bars against the plan's target line, the classes of each group of units as one
//! stacked bar, and each target's figure over the plan's years. Every picture carries its
//! figures in words (`aria-label`, and the numbers beside it) for those who do not see it.

use bvantq_shared::Classification;
use bvantq_shared::plan::{DashboardRow, GroupLine, TargetCheck, chart};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::strings::{Msg, pick, s};

/// One horizontal bar, 0–100, with an optional target mark.
fn bar(percent: f64, target: Option<f64>, label: String) -> Html {
    let w = percent.clamp(0.0, 100.0);
    html! {
        <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label={label}>
            <rect x="0" y="0" width="100" height="10" class="bar-back" />
            <rect x="0" y="0" width={format!("{w:.1}")} height="10" class="bar-fill" />
            if let Some(t) = target {
                <line x1={format!("{:.1}", t.clamp(0.0, 100.0))} x2={format!("{:.1}", t.clamp(0.0, 100.0))}
                    y1="0" y2="10" class="bar-target" vector-effect="non-scaling-stroke" />
            }
        </svg>
    }
}

fn pct(lang: Lang, v: f64) -> String {
    crate::results::percent(lang, Some(v))
}

/// Household pledge coverage of each child unit, against the plan's household target.
pub fn coverage(lang: Lang, children: &[DashboardRow]) -> Html {
    let rows = chart::coverage(children);
    if rows.is_empty() {
        return html! {};
    }
    html! {
        <figure class="chart" data-testid="chart-coverage">
            <figcaption>{ s(lang, Msg::ChartCoverage) }</figcaption>
            { for rows.iter().map(|c| {
                let p = c.percent;
                let label = match c.target {
                    Some(t) => format!("{}: {} ({} {})", c.unit_name, pct(lang, p), s(lang, Msg::PlanFigure), pct(lang, t)),
                    None => format!("{}: {}", c.unit_name, pct(lang, p)),
                };
                html! {
                    <div class="chart-row">
                        <span class="chart-label"><span data-data="">{ c.unit_name.clone() }</span>{ format!(" — {}", pct(lang, p)) }</span>
                        { bar(p, c.target, label) }
                    </div>
                }
            }) }
            <p class="hint">{ s(lang, Msg::ChartTargetLine) }</p>
        </figure>
    }
}

/// The CSS class and the words of a class bar's segment.
fn segment(lang: Lang, seg: Option<Classification>) -> (&'static str, &'static str) {
    let class = match seg {
        Some(Classification::XuatSac) => "seg-xs",
        Some(Classification::Kha) => "seg-kha",
        Some(Classification::TrungBinh) => "seg-tb",
        Some(Classification::Yeu) => "seg-yeu",
        None => "seg-none",
    };
    (class, chart::segment_label(seg, lang == Lang::Vi))
}

/// The classes of each group of units (and those not assessed) as one stacked bar per group.
pub fn classes(lang: Lang, groups: &[GroupLine]) -> Html {
    let bars = chart::classes(groups);
    if bars.is_empty() {
        return html! {};
    }
    html! {
        <figure class="chart" data-testid="chart-classes">
            <figcaption>{ s(lang, Msg::ChartClasses) }</figcaption>
            { for bars.iter().map(|b| {
                let words: Vec<String> = b
                    .segments
                    .iter()
                    .map(|(seg, n, _, _)| format!("{} {n}", segment(lang, *seg).1))
                    .collect();
                let name = pick(lang, b.group.label_vi(), b.group.label_en());
                html! {
                    <div class="chart-row">
                        <span class="chart-label">{ format!("{name} ({})", b.units) }</span>
                        <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img"
                            aria-label={format!("{name}: {}", words.join(", "))}>
                            { for b.segments.iter().filter(|(_, _, _, w)| *w > 0.0).map(|(seg, _, x, w)| html! {
                                <rect x={format!("{x:.2}")} y="0" width={format!("{w:.2}")} height="10" class={segment(lang, *seg).0} />
                            }) }
                        </svg>
                        <span class="chart-words">{ words.join(" · ") }</span>
                    </div>
                }
            }) }
            <p class="legend">
                { for chart::SEGMENTS.iter().map(|seg| {
                    let (class, words) = segment(lang, *seg);
                    html! { <span><i class={format!("swatch {class}")}></i>{ words }</span> }
                }) }
            </p>
        </figure>
    }
}

/// Each percentage target's figure over the plan's years, one bar per year against its line.
pub fn over_years(lang: Lang, years: &[(i32, Vec<TargetCheck>)]) -> Html {
    let series = chart::over_years(years);
    if series.is_empty() {
        return html! {};
    }
    html! {
        <figure class="chart" data-testid="chart-years">
            <figcaption>{ s(lang, Msg::ChartYears) }</figcaption>
            { for series.iter().map(|t| {
                let name = crate::helpers::pick_owned(lang, &t.label_vi, &t.label_en);
                html! {
                    <div class="chart-group">
                        <p class="chart-label">{ name.clone() }</p>
                        { for t.points.iter().map(|(y, actual, line)| {
                            let words = match actual {
                                Some(a) => pct(lang, *a),
                                None => "—".into(),
                            };
                            html! {
                                <div class="chart-row">
                                    <span class="chart-label">{ format!("{y} — {words}") }</span>
                                    // A year without a figure has no bar, not an empty one.
                                    if let Some(a) = actual {
                                        { bar(*a, *line, format!("{name}, {y}: {words}")) }
                                    }
                                </div>
                            }
                        }) }
                    </div>
                }
            }) }
        </figure>
    }
}

#[derive(Properties, PartialEq)]
pub struct YearsProps {
    pub unit: String,
    pub from: i32,
    /// The last year to show: the plan's last, or the period shown if earlier.
    pub to: i32,
}

/// Reads the unit's dashboard for each year of the plan so far and draws [`over_years`].
#[function_component(Years)]
pub fn years(props: &YearsProps) -> Html {
    let crate::helpers::Ctx(lang) =
        use_context::<crate::helpers::Ctx>().unwrap_or(crate::helpers::Ctx(Lang::Vi));
    let Some(auth) = use_context::<crate::api::AuthHandle>() else {
        return html! {};
    };
    let data = use_state(Vec::<(i32, Vec<TargetCheck>)>::new);
    {
        let data = data.clone();
        let (unit, from, to) = (props.unit.clone(), props.from, props.to);
        use_effect_with((unit.clone(), from, to), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let mut out = Vec::new();
                for y in from..=to {
                    let url = format!("/api/v1/dashboard?unit={unit}&period={y}");
                    // A year that cannot be read is left out of the picture, not drawn as zero.
                    if let Ok(d) = auth.get::<bvantq_shared::plan::Dashboard>(&url).await {
                        out.push((y, d.unit.targets));
                    }
                }
                data.set(out);
            });
        });
    }
    over_years(lang, &data)
}
