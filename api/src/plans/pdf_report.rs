//! The November report and an annual report as PDF, in Vietnamese, for printing and signing:
//! the same content as the XLSX (targets met or not, results by group, pledges, the children,
//! awards) with the console's pictures drawn from the same figures (`shared::plan::chart`).

use bvantq_shared::Classification;
use bvantq_shared::plan::chart::YearTargets;
use bvantq_shared::plan::submission::AnnualReport;
use bvantq_shared::plan::{Dashboard, Group, Metric, chart, percent_text};

use crate::infra::pdf::{BAR_FILL, Bar, Colour, Layout};

/// The class colours of the console (`static/console.css`, `.seg-*`).
fn segment_colour(seg: Option<Classification>) -> Colour {
    match seg {
        Some(Classification::XuatSac) => 0x1f5e2b,
        Some(Classification::Kha) => 0x4f8f3a,
        Some(Classification::TrungBinh) => 0xc99a06,
        Some(Classification::Yeu) => 0xa50e0e,
        None => 0xbbbbbb,
    }
}

fn segment_words(seg: Option<Classification>) -> &'static str {
    chart::segment_label(seg, true)
}

fn pct(v: Option<f64>) -> String {
    percent_text(v, true)
}

/// The November report of `d`; `years` are the unit's targets in each year of the plan so far
/// (empty: no chart over the years).
pub fn dashboard_pdf(d: &Dashboard, years: &[YearTargets]) -> Result<Vec<u8>, String> {
    let title = format!("Báo cáo năm {} — {}", d.period, d.unit.unit_name);
    let mut l = Layout::new(&title)?;
    l.title(&format!(
        "Báo cáo kết quả phong trào Toàn dân bảo vệ an ninh Tổ quốc năm {}",
        d.period
    ));
    l.para(&format!(
        "Đơn vị: {} (mã {})",
        d.unit.unit_name, d.unit.unit_code
    ));
    dashboard_body(&mut l, d, years);
    l.finish()
}

/// An annual report as it was sent: the sending, the figures the unit entered, its note, then
/// the November report as it stood at sending.
pub fn annual_pdf(r: &AnnualReport) -> Result<Vec<u8>, String> {
    let title = format!("Báo cáo tổng kết năm {} — {}", r.year, r.unit_name);
    let mut l = Layout::new(&title)?;
    l.title(&title);
    let sent = (r.sent_at + chrono::TimeDelta::hours(bvantq_shared::tip::VN_OFFSET_HOURS))
        .format("%H:%M %d/%m/%Y")
        .to_string();
    let head = vec![
        vec!["Mã đơn vị".into(), r.unit_code.clone()],
        vec!["Phiên bản".into(), r.version.to_string()],
        vec!["Gửi lúc (giờ Việt Nam)".into(), sent],
        vec!["Hạn gửi".into(), r.due_on.format("%d/%m/%Y").to_string()],
        vec!["Tình trạng".into(), r.state.label_vi().to_string()],
    ];
    l.table(&["Mục", "Nội dung"], &[1.0, 2.0], &head);
    l.heading("Số liệu đơn vị nhập");
    let figures: Vec<Vec<String>> = r
        .figures
        .iter()
        .map(|f| vec![f.figure.label_vi().to_string(), f.value.to_string()])
        .collect();
    l.table(&["Nội dung", "Số lượng"], &[4.0, 1.0], &figures);
    if let Some(note) = &r.note {
        l.heading("Ghi chú");
        l.para(note);
    }
    l.note("Các phần dưới đây là số liệu của nền tảng tại thời điểm gửi báo cáo.");
    dashboard_body(&mut l, &r.dashboard, &[]);
    l.finish()
}

fn dashboard_body(l: &mut Layout, d: &Dashboard, years: &[YearTargets]) {
    let u = &d.unit;
    l.heading("Kế hoạch áp dụng");
    match &d.plan {
        None => l.para("Không có kế hoạch áp dụng cho kỳ này."),
        Some(p) => l.para(&format!(
            "{} ({}–{})",
            p.title_vi, p.from_period, p.to_period
        )),
    }
    if !u.targets.is_empty() {
        l.heading("Chỉ tiêu");
        let rows: Vec<Vec<String>> = u
            .targets
            .iter()
            .map(|t| {
                vec![
                    t.label_vi.clone(),
                    t.target_text(true),
                    t.actual_text(true),
                    if t.met { "Đạt" } else { "Không đạt" }.into(),
                ]
            })
            .collect();
        l.table(
            &["Chỉ tiêu", "Kế hoạch", "Thực hiện", "Kết quả"],
            &[5.0, 1.2, 1.2, 1.2],
            &rows,
        );
    }
    let series = chart::over_years(years);
    if !series.is_empty() {
        l.heading("Chỉ tiêu qua các năm của kế hoạch");
        for s in &series {
            l.label(&s.label_vi);
            let bars: Vec<Bar> = s
                .points
                .iter()
                .map(|(y, actual, line)| Bar {
                    label: y.to_string(),
                    segments: actual.map(|a| (0.0, a, BAR_FILL)).into_iter().collect(),
                    target: *line,
                    words: format!("Thực hiện {}; kế hoạch {}", pct(*actual), pct(*line)),
                })
                .collect();
            l.chart(&bars, &[]);
        }
        l.note("Vạch đỏ: mức kế hoạch.");
    }
    l.heading("Kết quả đánh giá «An toàn về an ninh, trật tự» theo nhóm đơn vị");
    let groups: Vec<Vec<String>> = u
        .groups
        .iter()
        .filter(|g| g.counts.units > 0)
        .map(|g| {
            let c = &g.counts;
            vec![
                g.group.label_vi().to_string(),
                c.units.to_string(),
                format!("{} ({})", c.safe, pct(g.safe_percent)),
                c.not_safe.to_string(),
                c.not_assessed.to_string(),
                c.xuat_sac.to_string(),
                c.kha.to_string(),
                c.trung_binh.to_string(),
                c.yeu.to_string(),
            ]
        })
        .collect();
    if groups.is_empty() {
        l.para("Không có đơn vị nào thuộc diện đánh giá.");
    } else {
        l.table(
            &[
                "Nhóm",
                "Tổng",
                "Đạt",
                "Chưa đạt",
                "Chưa đánh giá",
                "Xuất sắc",
                "Khá",
                "Trung bình",
                "Yếu",
            ],
            &[3.0, 1.0, 1.5, 1.0, 1.2, 1.0, 1.0, 1.1, 1.0],
            &groups,
        );
    }
    let classes = chart::classes(&u.groups);
    if !classes.is_empty() {
        let bars: Vec<Bar> = classes
            .iter()
            .map(|b| Bar {
                label: format!("{} ({})", b.group.label_vi(), b.units),
                segments: b
                    .segments
                    .iter()
                    .map(|(seg, _, x, w)| (*x, *w, segment_colour(*seg)))
                    .collect(),
                target: None,
                words: b
                    .segments
                    .iter()
                    .map(|(seg, n, _, _)| format!("{} {n}", segment_words(*seg)))
                    .collect::<Vec<_>>()
                    .join(" · "),
            })
            .collect();
        let legend: Vec<(Colour, String)> = chart::SEGMENTS
            .iter()
            .map(|s| (segment_colour(*s), segment_words(*s).to_string()))
            .collect();
        l.chart(&bars, &legend);
    }
    l.heading("Ký cam kết");
    let pledges: Vec<Vec<String>> = u
        .pledges
        .iter()
        .map(|p| {
            vec![
                p.audience.label_vi().to_string(),
                p.signed.to_string(),
                p.expected.to_string(),
                pct(p.percent),
            ]
        })
        .collect();
    l.table(
        &["Đối tượng", "Đã ký", "Cần ký", "Tỷ lệ"],
        &[3.0, 1.0, 1.0, 1.0],
        &pledges,
    );
    l.para(&format!(
        "Tin báo, tố giác trong năm: tiếp nhận {}, chuyển Cơ quan điều tra {}, giải quyết đúng \
         hạn {}/{} ({}); đang quá hạn giải quyết: {}. Khu dân cư tổ chức Ngày hội Toàn dân \
         bảo vệ an ninh Tổ quốc (19/8): {}/{} ({}).",
        u.tips.received,
        u.tips.transferred,
        u.tips.on_time,
        u.tips.concluded,
        pct(u.tips.on_time_percent),
        u.tips_overdue,
        u.festival.held,
        u.festival.areas,
        pct(u.festival.percent)
    ));
    if let (Some(all), Some(areas)) = (u.group(Group::All), u.group(Group::ResidentialArea)) {
        l.para(&format!(
            "Đơn vị có mô hình «Tự phòng, tự quản, tự bảo vệ» xây dựng mới hoặc hoạt động có \
             hiệu quả trong năm: {}/{} ({}). Khu dân cư có Tổ bảo vệ an ninh, trật tự (có Tổ \
             trưởng): {}/{} ({}).",
            all.counts.with_model,
            all.counts.units,
            pct(all.counts.metric(Metric::ModelPercent)),
            areas.counts.with_team,
            areas.counts.units,
            pct(areas.counts.metric(Metric::TeamPercent))
        ));
        l.para(&format!(
            "Đơn vị đã đăng ký phấn đấu đạt tiêu chuẩn «An toàn về an ninh, trật tự» (Điều 9.2.a \
             Thông tư 124/2021/TT-BCA): {}/{}; không thuộc diện áp dụng (Điều 1.2.b): {}.",
            all.counts.registered, all.counts.units, all.counts.excluded
        ));
    }
    if let Some(org) = u.group(Group::Organisation).filter(|g| g.counts.units > 0) {
        l.para(&format!(
            "Cơ quan, doanh nghiệp, nhà trường có 100% cán bộ, người lao động, người học được \
             quán triệt trong năm (Điều 6.1, 7.1): {}/{}.",
            org.counts.briefed, org.counts.units
        ));
    }
    if !d.deadlines.is_empty() {
        l.heading("Thời hạn trong năm");
        let rows: Vec<Vec<String>> = d
            .deadlines
            .iter()
            .map(|x| {
                vec![
                    x.entry.label_vi.clone(),
                    x.entry.due_on.format("%d/%m/%Y").to_string(),
                    format!("{}/{}", x.done, x.owed),
                    x.awaiting_decision.to_string(),
                ]
            })
            .collect();
        l.table(
            &["Việc", "Hạn", "Đã thực hiện", "Chờ quyết định"],
            &[3.0, 1.0, 1.0, 1.0],
            &rows,
        );
    }
    if !d.children.is_empty() {
        l.heading("Đơn vị trực thuộc");
        let coverage = chart::coverage(&d.children);
        if !coverage.is_empty() {
            l.note("Tỷ lệ hộ gia đình ký cam kết của từng đơn vị (vạch đỏ: mức kế hoạch).");
            let bars: Vec<Bar> = coverage
                .iter()
                .map(|c| Bar {
                    label: c.unit_name.clone(),
                    segments: vec![(0.0, c.percent, BAR_FILL)],
                    target: c.target,
                    words: match c.target {
                        Some(t) => format!("{} (kế hoạch {})", pct(Some(c.percent)), pct(Some(t))),
                        None => pct(Some(c.percent)),
                    },
                })
                .collect();
            l.chart(&bars, &[]);
        }
        let rows: Vec<Vec<String>> = d
            .children
            .iter()
            .map(|c| {
                let all = c.group(Group::All);
                let safe = all.map_or_else(
                    || "—".into(),
                    |g| {
                        format!(
                            "{}/{} ({})",
                            g.counts.safe,
                            g.counts.units,
                            pct(g.safe_percent)
                        )
                    },
                );
                let household = c
                    .pledges
                    .iter()
                    .find(|p| p.audience == Group::Household)
                    .and_then(|p| p.percent);
                let met = c.targets.iter().filter(|t| t.met).count();
                vec![
                    format!("{} ({})", c.unit_name, c.unit_code),
                    safe,
                    pct(household),
                    c.tips_overdue.to_string(),
                    if c.targets.is_empty() {
                        "—".into()
                    } else {
                        format!("{met}/{}", c.targets.len())
                    },
                ]
            })
            .collect();
        l.table(
            &[
                "Đơn vị",
                "Đạt «An toàn»",
                "Hộ ký cam kết",
                "Tin quá hạn",
                "Chỉ tiêu đạt",
            ],
            &[3.5, 1.8, 1.2, 1.0, 1.0],
            &rows,
        );
    }
    l.heading("Khen thưởng");
    if d.awards.is_empty() {
        l.para("Không có khen thưởng nào được quyết định trong năm.");
    } else {
        let rows: Vec<Vec<String>> = d
            .awards
            .iter()
            .map(|a| {
                vec![
                    a.unit_name.clone(),
                    a.award.label_vi().to_string(),
                    format!(
                        "{}, {}",
                        a.decision.number,
                        a.decision.date.format("%d/%m/%Y")
                    ),
                    a.decision.signer.clone(),
                ]
            })
            .collect();
        l.table(
            &["Đơn vị", "Hình thức", "Quyết định", "Người ký"],
            &[2.5, 2.0, 2.0, 1.5],
            &rows,
        );
    }
}
