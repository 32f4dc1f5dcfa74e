//! The reports as PDF (issue 19: "A submission is a generated report (XLSX and PDF)", "the same
//! charts in the PDF report"): the November report of a province and an annual report as sent,
//! read back with poppler's `pdftotext`, `pdffonts` and `pdfinfo` (`./dev test` installs them) —
//! the Vietnamese text, each target met or not, the pictures' captions and figures, the fonts
//! embedded as subsets, every page numbered.

use std::process::Command;

use bvantq_shared::Role;
use bvantq_tests::{OrFail, TestApp, both, json, problem};
use serde_json::{Value, json};

/// Runs a poppler tool on the PDF and returns what it printed.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[] })
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed (./dev test installs poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{e}"))
}

/// The text in content order, every run of white space one space (a wrapped cell reads whole).
fn text_of(pdf: &[u8]) -> String {
    poppler("pdftotext", &["-raw", "-enc", "UTF-8"], pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The PDF of a response, after checking its type and file name.
async fn pdf_of(r: reqwest::Response, name: &str) -> Vec<u8> {
    assert_eq!(r.status(), 200);
    let header = |h: &str| {
        r.headers()
            .get(h)
            .and_then(|v| v.to_str().ok())
            .or_fail()
            .to_string()
    };
    assert_eq!(header("content-type"), "application/pdf");
    assert!(header("content-disposition").contains(name));
    let bytes = r.bytes().await.or_fail().to_vec();
    assert!(bytes.starts_with(b"%PDF-"));
    bytes
}

/// Every font embedded and subset ("emb yes", "sub yes" in `pdffonts`), and DejaVu Sans the face.
fn fonts_are_embedded_subsets(pdf: &[u8]) {
    let fonts = poppler("pdffonts", &[], pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        assert!(row.contains("DejaVuSans"), "{row}");
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name, type words…, encoding, emb, sub, uni, object, id: emb and sub are the 5th and
        // 4th from the end.
        let n = cols.len();
        assert_eq!((cols[n - 5], cols[n - 4]), ("yes", "yes"), "{row}");
    }
}

/// The number of pages `pdfinfo` counts.
fn pages(pdf: &[u8]) -> usize {
    poppler("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .or_fail()
}

async fn the_november_report_prints_with_its_targets_and_pictures(app: TestApp) {
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    // 2025: the plan made for Ninh Thuận (2022–2025) is the one in force for Khánh Hòa.
    let d: Value = app.dashboard(&province, "unit=56&period=2025").await;
    let plan = &d["plan"];
    assert!(plan.is_object(), "{d}");
    let r = app
        .get(
            "/api/v1/dashboard/report.pdf?unit=56&period=2025",
            Some(&province),
        )
        .await;
    let pdf = pdf_of(r, "bao-cao-56-2025.pdf").await;
    let text = text_of(&pdf);
    for want in [
        "Báo cáo kết quả phong trào Toàn dân bảo vệ an ninh Tổ quốc năm 2025",
        "Chỉ tiêu qua các năm của kế hoạch",
        "Kết quả đánh giá «An toàn về an ninh, trật tự» theo nhóm đơn vị",
        "Đơn vị trực thuộc",
        "Khen thưởng",
    ] {
        assert!(text.contains(want), "{want} missing from {text}");
    }
    assert!(text.contains(&words(bvantq_tests::text(plan, "title_vi"))));
    // Every target with its verdict, as the dashboard gives it.
    let targets = d["unit"]["targets"].as_array().or_fail();
    assert!(!targets.is_empty());
    for t in targets {
        let t: bvantq_shared::plan::TargetCheck =
            serde_json::from_value(t.clone()).unwrap_or_else(|e| panic!("{e}"));
        let row = words(&format!(
            "{} {} {} {}",
            t.label_vi,
            t.target_text(true),
            t.actual_text(true),
            if t.met { "Đạt" } else { "Không đạt" }
        ));
        assert!(text.contains(&row), "{row} missing from {text}");
    }
    // The chart over the years: each year of the plan so far, each with its figure in words.
    for y in 2022..=2025 {
        assert!(text.contains(&format!(" {y} Thực hiện ")), "{y}");
    }
    // The classes of each group as a stacked bar with its legend, and every child by name.
    assert!(text.contains("Chưa đánh giá"));
    for c in d["children"].as_array().or_fail() {
        assert!(text.contains(&words(bvantq_tests::text(c, "unit_name"))));
    }
    fonts_are_embedded_subsets(&pdf);
    let n = pages(&pdf);
    assert!(text.contains(&format!("Trang {n}/{n}")), "{n} pages");

    // Another province's officer gets nothing of it.
    let dong_nai = app.login_as(Role::ProvinceOfficer, "75").await;
    problem(
        app.get(
            "/api/v1/dashboard/report.pdf?unit=56&period=2025",
            Some(&dong_nai),
        )
        .await,
        403,
    )
    .await;
}

async fn an_annual_report_prints_as_it_was_sent(app: TestApp) {
    app.set_vn_time(11, 14, 10);
    let ward = app.login_as(Role::WardOfficer, "22333").await;
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let note = "Tổ chức 12 buổi tuyên truyền về phòng, chống lừa đảo trên không gian mạng tại \
                các khu dân cư; vận động nhân dân giao nộp vũ khí.";
    let body = json!({"year": 2026, "note": note, "figures": [
        {"figure": "people_of_standing", "value": 41},
        {"figure": "reintegrated", "value": 3},
        {"figure": "weapons_handed_in", "value": 2},
        {"figure": "surrenders", "value": 1}
    ]});
    let key = format!("annual-{}", bvantq_api::infra::db::new_id());
    let r = app
        .post(
            "/api/v1/units/22333/annual-reports",
            &body,
            Some(&ward),
            Some(&key),
        )
        .await;
    assert_eq!(r.status(), 201);
    let sent = json(r).await;
    let id = bvantq_tests::text(&sent, "id");
    let r = app
        .get(
            &format!("/api/v1/annual-reports/{id}/report.pdf"),
            Some(&province),
        )
        .await;
    let pdf = pdf_of(r, "bao-cao-nam-22333-2026-v1.pdf").await;
    let text = text_of(&pdf);
    for want in [
        "Báo cáo tổng kết năm 2026",
        "Đã gửi đúng hạn",
        "15/11/2026",
        "Số liệu đơn vị nhập",
        "Đối tượng được vận động ra đầu thú 1",
        &words(note),
        "Các phần dưới đây là số liệu của nền tảng tại thời điểm gửi báo cáo.",
        "Ký cam kết",
    ] {
        assert!(text.contains(want), "{want} missing from {text}");
    }
    assert!(text.contains(&words(bvantq_tests::text(
        &sent["dashboard"]["unit"],
        "unit_name"
    ))));
    fonts_are_embedded_subsets(&pdf);
    // Another commune's police see nothing of it.
    let nha_trang = app.login_as(Role::WardOfficer, "22366").await;
    problem(
        app.get(
            &format!("/api/v1/annual-reports/{id}/report.pdf"),
            Some(&nha_trang),
        )
        .await,
        404,
    )
    .await;
}

both!(
    the_november_report_prints_with_its_targets_and_pictures,
    an_annual_report_prints_as_it_was_sent,
);
