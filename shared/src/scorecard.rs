//! A province's own scorecard typed as the table of its decision (thang điểm của tỉnh, e.g. the
//! scorecard of a Quyết định of the provincial People's Committee): one item per line,
//! `code | points | title in Vietnamese | title in English`, the English title optional. The
//! platform's national scorecard is a provisional reading; a province loads its own with the
//! document it comes from (`POST /api/v1/criteria-sets`, `scorecard` and `scorecard_source`).
//! The console and the server check it the same way: the items total 100 points.

use crate::assessment::ScoreItem;
use crate::error::{Errors, FieldError, ValidationError};

/// The most items a scorecard may have.
pub const ITEMS_MAX: usize = 40;
/// The longest item title.
pub const TITLE_MAX: usize = 300;

/// The items of `text`, one per non-blank line, or the problems, each on `scorecard.{line}`
/// (1-based) and, for the total, on `scorecard`.
pub fn parse_lines(text: &str) -> Result<Vec<ScoreItem>, Vec<FieldError>> {
    let mut e = Errors::new();
    let mut items: Vec<ScoreItem> = Vec::new();
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(vec![ValidationError::Required.on("scorecard")]);
    }
    if lines.len() > ITEMS_MAX {
        return Err(vec![
            ValidationError::TooMany { max: ITEMS_MAX }.on("scorecard"),
        ]);
    }
    for (n, line) in lines {
        let field = format!("scorecard.{n}");
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (code, points, vi, en) = match cells.as_slice() {
            [code, points, vi] => (*code, *points, *vi, ""),
            [code, points, vi, en] => (*code, *points, *vi, *en),
            _ => {
                e.push(ValidationError::ScorecardLine.on(&field));
                continue;
            }
        };
        let code_ok = !code.is_empty()
            && code.chars().count() <= 8
            && code.chars().all(|c| c.is_alphanumeric() || c == '.');
        if !code_ok {
            e.push(ValidationError::ScorecardLine.on(&field));
            continue;
        }
        if items.iter().any(|i| i.code == code) {
            e.push(ValidationError::Duplicate.on(&field));
            continue;
        }
        let max_points = match points.parse::<u32>() {
            Ok(p) if (1..=100).contains(&p) => p,
            _ => {
                e.push(ValidationError::OutOfRange { min: 1, max: 100 }.on(&field));
                continue;
            }
        };
        let Some(title_vi) = e.check(&field, crate::text::parse_line(vi, TITLE_MAX)) else {
            continue;
        };
        let title_en = match en {
            "" => title_vi.clone(),
            en => match e.check(&field, crate::text::parse_line(en, TITLE_MAX)) {
                Some(t) => t,
                None => continue,
            },
        };
        items.push(ScoreItem {
            code: code.to_string(),
            title_vi,
            title_en,
            max_points,
        });
    }
    e.into_result()?;
    let total: u32 = items.iter().map(|i| i.max_points).sum();
    if total != 100 {
        return Err(vec![
            ValidationError::ScorecardTotal { total }.on("scorecard"),
        ]);
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<(String, &'static str)> {
        match parse_lines(text) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|f| (f.field, f.error.code())).collect(),
        }
    }

    #[test]
    fn a_scorecard_is_the_decision_s_table_line_by_line() {
        let items = parse_lines(
            "A | 40 | Tổ chức phong trào | Organising the movement\n\n  B|60|Kết quả  \n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(items.len(), 2);
        assert_eq!((items[0].code.as_str(), items[0].max_points), ("A", 40));
        assert_eq!(items[0].title_en, "Organising the movement");
        // No English title: the Vietnamese one stands for both.
        assert_eq!(items[1].title_en, "Kết quả");
    }

    #[test]
    fn each_bad_line_is_named_and_the_total_must_be_100() {
        for (text, want) in [
            ("", vec![("scorecard".to_string(), "required")]),
            (
                "A | 40 | Một\nB | 59 | Hai",
                vec![("scorecard".into(), "scorecard_total")],
            ),
            (
                "A | 40\nB | 60 | Hai",
                vec![("scorecard.1".into(), "scorecard_line")],
            ),
            (
                "A | 40 | Một\nA | 60 | Hai",
                vec![("scorecard.2".into(), "duplicate")],
            ),
            (
                "A | 0 | Một\nB | 100 | Hai",
                vec![("scorecard.1".into(), "out_of_range")],
            ),
            (
                "A | bốn | Một\nB | 60 | Hai",
                vec![("scorecard.1".into(), "out_of_range")],
            ),
            (
                "A B | 40 | Một\nB | 60 | Hai",
                vec![("scorecard.1".into(), "scorecard_line")],
            ),
            (
                "A | 40 |  \nB | 60 | Hai\nC | x | Ba",
                vec![
                    ("scorecard.1".into(), "required"),
                    ("scorecard.3".into(), "out_of_range"),
                ],
            ),
        ] {
            assert_eq!(fields(text), want, "{text:?}");
        }
        let many: String = (0..=ITEMS_MAX)
            .map(|i| format!("I{i} | 1 | Mục\n"))
            .collect();
        assert_eq!(fields(&many), [("scorecard".to_string(), "too_many")]);
    }
}
