//! Pictures of the results, drawn as plain SVG (no chart library): pledge coverage per child
//! unit as bars against the plan's target line, the classes of each group of units as one
//! stacked bar, and each target's figure over the plan's years. Every picture carries its
//! figures in words (`aria-label`, and the numbers beside it) for those who do not see it.

use bvantq_shared::Classification;
use bvantq_shared::plan::{DashboardRow, Group, GroupLine, Metric, TargetCheck};
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
    let rows: Vec<(&DashboardRow, f64, Option<f64>)> = children
        .iter()
        .filter_map(|c| {
            let p = c.pledges.iter().find(|p| p.audience == Group::Household)?;
            let target = c
                .targets
                .iter()
                .find(|t| t.metric == Metric::PledgePercent && t.group == Group::Household)
                .and_then(|t| t.target_min);
            Some((c, p.percent?, target))
        })
        .collect();
    if rows.is_empty() {
        return html! {};
    }
    html! {
        <figure class="chart" data-testid="chart-coverage">
            <figcaption>{ s(lang, Msg::ChartCoverage) }</figcaption>
            { for rows.iter().map(|(c, p, t)| {
                let label = match t {
                    Some(t) => format!("{}: {} ({} {})", c.unit_name, pct(lang, *p), s(lang, Msg::PlanFigure), pct(lang, *t)),
                    None => format!("{}: {}", c.unit_name, pct(lang, *p)),
                };
                html! {
                    <div class="chart-row">
                        <span class="chart-label"><span data-data="">{ c.unit_name.clone() }</span>{ format!(" — {}", pct(lang, *p)) }</span>
                        { bar(*p, *t, label) }
                    </div>
                }
            }) }
            <p class="hint">{ s(lang, Msg::ChartTargetLine) }</p>
        </figure>
    }
}

const CLASSES: [(Classification, &str); 4] = [
    (Classification::XuatSac, "seg-xs"),
    (Classification::Kha, "seg-kha"),
    (Classification::TrungBinh, "seg-tb"),
    (Classification::Yeu, "seg-yeu"),
];

/// The classes of each group of units (and those not assessed) as one stacked bar per group.
pub fn classes(lang: Lang, groups: &[GroupLine]) -> Html {
    let shown: Vec<&GroupLine> = groups
        .iter()
        .filter(|g| g.group != Group::All && g.counts.units > 0)
        .collect();
    if shown.is_empty() {
        return html! {};
    }
    let count = |g: &GroupLine, c: Classification| match c {
        Classification::XuatSac => g.counts.xuat_sac,
        Classification::Kha => g.counts.kha,
        Classification::TrungBinh => g.counts.trung_binh,
        Classification::Yeu => g.counts.yeu,
    };
    html! {
        <figure class="chart" data-testid="chart-classes">
            <figcaption>{ s(lang, Msg::ChartClasses) }</figcaption>
            { for shown.iter().map(|g| {
                let total = g.counts.units as f64;
                let mut x = 0.0;
                let mut parts = Vec::new();
                for (c, class) in CLASSES {
                    let w = count(g, c) as f64 * 100.0 / total;
                    parts.push((x, w, class));
                    x += w;
                }
                parts.push((x, g.counts.not_assessed as f64 * 100.0 / total, "seg-none"));
                let words: Vec<String> = CLASSES
                    .iter()
                    .map(|(c, _)| format!("{} {}", pick(lang, c.label_vi(), c.label_en()), count(g, *c)))
                    .chain(std::iter::once(format!("{} {}", s(lang, Msg::NotAssessed), g.counts.not_assessed)))
                    .collect();
                let name = pick(lang, g.group.label_vi(), g.group.label_en());
                html! {
                    <div class="chart-row">
                        <span class="chart-label">{ format!("{name} ({})", g.counts.units) }</span>
                        <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img"
                            aria-label={format!("{name}: {}", words.join(", "))}>
                            { for parts.iter().filter(|(_, w, _)| *w > 0.0).map(|(x, w, class)| html! {
                                <rect x={format!("{x:.2}")} y="0" width={format!("{w:.2}")} height="10" class={*class} />
                            }) }
                        </svg>
                        <span class="chart-words">{ words.join(" · ") }</span>
                    </div>
                }
            }) }
            <p class="legend">
                { for CLASSES.iter().map(|(c, class)| html! {
                    <span><i class={format!("swatch {class}")}></i>{ pick(lang, c.label_vi(), c.label_en()) }</span>
                }) }
                <span><i class="swatch seg-none"></i>{ s(lang, Msg::NotAssessed) }</span>
            </p>
        </figure>
    }
}

/// Each percentage target's figure over the plan's years, one bar per year against its line.
pub fn over_years(lang: Lang, years: &[(i32, Vec<TargetCheck>)]) -> Html {
    let Some((_, first)) = years.first() else {
        return html! {};
    };
    let percent_targets: Vec<&TargetCheck> = first
        .iter()
        .filter(|t| t.metric != Metric::WeakCount)
        .collect();
    if percent_targets.is_empty() {
        return html! {};
    }
    html! {
        <figure class="chart" data-testid="chart-years">
            <figcaption>{ s(lang, Msg::ChartYears) }</figcaption>
            { for percent_targets.iter().map(|t| {
                let name = crate::helpers::pick_owned(lang, &t.label_vi, &t.label_en);
                html! {
                    <div class="chart-group">
                        <p class="chart-label">{ name.clone() }</p>
                        { for years.iter().map(|(y, checks)| {
                            let same = checks.iter().find(|c| c.metric == t.metric && c.group == t.group);
                            let actual = same.and_then(|c| c.actual);
                            let line = same.and_then(|c| c.target_min);
                            let words = match actual {
                                Some(a) => pct(lang, a),
                                None => "—".into(),
                            };
                            html! {
                                <div class="chart-row">
                                    <span class="chart-label">{ format!("{y} — {words}") }</span>
                                    // A year without a figure has no bar, not an empty one.
                                    if let Some(a) = actual {
                                        { bar(a, line, format!("{name}, {y}: {words}")) }
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
