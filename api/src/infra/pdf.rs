//! Reports as PDF (A4, portrait): headings, wrapped paragraphs, tables that carry their header
//! onto the next page, and horizontal bar charts — laid out here, then written by `krilla` with
//! the DejaVu Sans faces embedded (subset to the glyphs used), so Vietnamese prints with its
//! diacritics on any reader without fonts of its own.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};

/// A4 in points.
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 42.0;
const BODY: f32 = 9.5;
const LINE: f32 = 1.35;
const TABLE_SIZE: f32 = BODY - 1.0;
const CELL_PAD: f32 = 3.0;

/// The height of a table row: its tallest cell, padded (an empty row is one line high).
fn row_height(cells: &[Vec<String>]) -> f32 {
    let lines = cells.iter().map(Vec::len).fold(1, usize::max);
    lines as f32 * TABLE_SIZE * LINE + 2.0 * CELL_PAD
}

/// A colour as `0xRRGGBB`; the chart colours are the console's (`static/console.css`).
pub type Colour = u32;
pub const INK: Colour = 0x1a1a1a;
pub const MUTED: Colour = 0x5a5a5a;
pub const RULE: Colour = 0xc8c8c8;
pub const BAR_BACK: Colour = 0xe6e6e6;
pub const BAR_FILL: Colour = 0x1f5e9e;
pub const TARGET: Colour = 0xa50e0e;

fn colour(c: Colour) -> rgb::Color {
    rgb::Color::new((c >> 16) as u8, (c >> 8) as u8, c as u8)
}

/// What a page shows, in page coordinates (y down from the top).
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        colour: Colour,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Colour,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        colour: Colour,
    },
}

/// The two faces, read once for measuring.
struct Faces {
    regular: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
}

impl Faces {
    fn new() -> Result<Self, String> {
        let face = |b: &'static [u8]| ttf_parser::Face::parse(b, 0).map_err(|e| e.to_string());
        Ok(Self {
            regular: face(dejavu::sans::regular())?,
            bold: face(dejavu::sans::bold())?,
        })
    }

    /// The advance of `text` at `size` points.
    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let face = if bold { &self.bold } else { &self.regular };
        let units: u32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(0, u32::from)
            })
            .sum();
        units as f32 * size / f32::from(face.units_per_em())
    }
}

/// A bar of a chart: its label, its coloured segments (start and width on 0–100), an optional
/// target line (0–100) and the figures in words printed under it.
pub struct Bar {
    pub label: String,
    pub segments: Vec<(f64, f64, Colour)>,
    pub target: Option<f64>,
    pub words: String,
}

/// A report being laid out.
pub struct Layout {
    faces: Faces,
    title: String,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    pub fn new(title: &str) -> Result<Self, String> {
        Ok(Self {
            faces: Faces::new()?,
            title: title.to_string(),
            pages: vec![Vec::new()],
            y: MARGIN,
        })
    }

    fn width(&self) -> f32 {
        PAGE_W - 2.0 * MARGIN
    }

    fn op(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// Starts a new page when fewer than `h` points are left on this one.
    fn room(&mut self, h: f32) -> bool {
        if self.y + h > PAGE_H - MARGIN - 14.0 {
            self.pages.push(Vec::new());
            self.y = MARGIN;
            true
        } else {
            false
        }
    }

    fn text(&mut self, x: f32, size: f32, bold: bool, colour: Colour, text: &str) {
        let y = self.y + size;
        self.op(Op::Text {
            x,
            y,
            size,
            bold,
            colour,
            text: text.to_string(),
        });
    }

    /// `text` broken into lines no wider than `width` (a word wider than the line is cut).
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if line.is_empty() || self.faces.width(&candidate, size, bold) <= width {
                    line = candidate;
                } else {
                    lines.push(std::mem::replace(&mut line, word.to_string()));
                }
                while self.faces.width(&line, size, bold) > width && line.chars().count() > 1 {
                    let cut = self.fit(&line, size, bold, width);
                    let rest = line.split_off(cut);
                    lines.push(std::mem::replace(&mut line, rest));
                }
            }
            lines.push(line);
        }
        lines
    }

    /// The byte index up to which `text` fits in `width` (at least one character).
    fn fit(&self, text: &str, size: f32, bold: bool, width: f32) -> usize {
        let mut end = text.chars().next().map_or(0, char::len_utf8);
        for (i, c) in text.char_indices().skip(1) {
            if self.faces.width(&text[..i + c.len_utf8()], size, bold) > width {
                break;
            }
            end = i + c.len_utf8();
        }
        end
    }

    fn block(&mut self, text: &str, size: f32, bold: bool, colour: Colour, after: f32) {
        for line in self.wrap(text, size, bold, self.width()) {
            self.room(size * LINE);
            self.text(MARGIN, size, bold, colour, &line);
            self.y += size * LINE;
        }
        self.y += after;
    }

    pub fn title(&mut self, text: &str) {
        self.block(text, 15.0, true, INK, 6.0);
    }

    pub fn heading(&mut self, text: &str) {
        self.room(BODY * 6.0);
        self.y += 6.0;
        self.block(text, 11.5, true, INK, 3.0);
    }

    /// A bold line that keeps with what follows (a chart's name).
    pub fn label(&mut self, text: &str) {
        self.room(BODY * 5.0);
        self.block(text, BODY, true, INK, 2.0);
    }

    pub fn para(&mut self, text: &str) {
        self.block(text, BODY, false, INK, 4.0);
    }

    pub fn note(&mut self, text: &str) {
        self.block(text, BODY - 1.0, false, MUTED, 4.0);
    }

    /// A table: `widths` are shares of the text width; the header is bold and repeats on each
    /// page the table runs onto.
    pub fn table(&mut self, header: &[&str], widths: &[f32], rows: &[Vec<String>]) {
        let sum: f32 = widths.iter().sum();
        let cols: Vec<f32> = widths.iter().map(|w| w / sum * self.width()).collect();
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        let header = self.cells(&cols, &header, true);
        self.room(TABLE_SIZE * LINE * 4.0);
        self.row(&cols, &header, true);
        for r in rows {
            let cells = self.cells(&cols, r, false);
            if self.room(row_height(&cells)) {
                self.row(&cols, &header, true);
            }
            self.row(&cols, &cells, false);
        }
        self.y += 6.0;
    }

    /// Each cell of a row broken into the lines that fit its column.
    fn cells(&self, cols: &[f32], cells: &[String], bold: bool) -> Vec<Vec<String>> {
        cells
            .iter()
            .zip(cols)
            .map(|(c, w)| self.wrap(c, TABLE_SIZE, bold, w - 2.0 * CELL_PAD))
            .collect()
    }

    fn row(&mut self, cols: &[f32], cells: &[Vec<String>], bold: bool) {
        let top = self.y;
        let mut x = MARGIN;
        for (lines, w) in cells.iter().zip(cols) {
            self.y = top + CELL_PAD;
            for line in lines {
                self.text(x + CELL_PAD, TABLE_SIZE, bold, INK, line);
                self.y += TABLE_SIZE * LINE;
            }
            x += w;
        }
        self.y = top + row_height(cells);
        let (left, right) = (MARGIN, MARGIN + self.width());
        self.op(Op::Line {
            x1: left,
            y1: self.y,
            x2: right,
            y2: self.y,
            width: if bold { 0.8 } else { 0.4 },
            colour: RULE,
        });
    }

    /// A horizontal bar chart: each bar's label, the bar on a grey 0–100 back with its target
    /// line, the figures in words below; a legend of (colour, words) under the chart.
    pub fn chart(&mut self, bars: &[Bar], legend: &[(Colour, String)]) {
        let bar_h = 9.0;
        let size = BODY - 1.0;
        let w = self.width();
        for b in bars {
            let h = size * LINE * 2.0 + bar_h + 6.0;
            self.room(h);
            self.text(MARGIN, size, true, INK, &b.label);
            self.y += size * LINE;
            let top = self.y;
            let at = |v: f64| MARGIN + (v.clamp(0.0, 100.0) as f32) * w / 100.0;
            self.op(Op::Rect {
                x: MARGIN,
                y: top,
                w,
                h: bar_h,
                colour: BAR_BACK,
            });
            for (x, sw, c) in &b.segments {
                if *sw > 0.0 {
                    let (x0, x1) = (at(*x), at(x + sw));
                    self.op(Op::Rect {
                        x: x0,
                        y: top,
                        w: x1 - x0,
                        h: bar_h,
                        colour: *c,
                    });
                }
            }
            if let Some(t) = b.target {
                let x = at(t);
                self.op(Op::Line {
                    x1: x,
                    y1: top - 2.0,
                    x2: x,
                    y2: top + bar_h + 2.0,
                    width: 1.6,
                    colour: TARGET,
                });
            }
            self.y = top + bar_h + 2.0;
            self.text(MARGIN, size - 0.5, false, MUTED, &b.words);
            self.y += size * LINE + 4.0;
        }
        if !legend.is_empty() {
            self.room(size * LINE * 2.0);
            let mut x = MARGIN;
            for (c, words) in legend {
                let wd = self.faces.width(words, size, false) + 20.0;
                if x + wd > MARGIN + w {
                    x = MARGIN;
                    self.y += size * LINE;
                }
                self.op(Op::Rect {
                    x,
                    y: self.y + 1.5,
                    w: 8.0,
                    h: 8.0,
                    colour: *c,
                });
                self.text(x + 11.0, size, false, INK, words);
                x += wd;
            }
            self.y += size * LINE + 6.0;
        }
    }

    /// Writes the PDF: every page with its footer ("title — Trang i/n").
    pub fn finish(self) -> Result<Vec<u8>, String> {
        let font = |b: &'static [u8]| Font::new(b.into(), 0).ok_or("the font did not load");
        let regular = font(dejavu::sans::regular())?;
        let bold = font(dejavu::sans::bold())?;
        let mut doc = Document::new();
        doc.set_metadata(
            Metadata::new()
                .title(self.title.clone())
                .language("vi".into())
                .creator("bvantq".into()),
        );
        let n = self.pages.len();
        for (i, ops) in self.pages.iter().enumerate() {
            let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("page size")?;
            let mut page = doc.start_page_with(settings);
            let mut s = page.surface();
            let footer = format!("{} — Trang {}/{n}", self.title, i + 1);
            let footer_op = Op::Text {
                x: MARGIN,
                y: PAGE_H - MARGIN + 8.0,
                size: 7.5,
                bold: false,
                colour: MUTED,
                text: footer,
            };
            for op in ops.iter().chain(std::iter::once(&footer_op)) {
                match op {
                    Op::Text {
                        x,
                        y,
                        size,
                        bold: b,
                        colour: c,
                        text,
                    } => {
                        s.set_stroke(None);
                        s.set_fill(Some(Fill {
                            paint: colour(*c).into(),
                            ..Fill::default()
                        }));
                        let f = if *b { bold.clone() } else { regular.clone() };
                        s.draw_text(
                            Point::from_xy(*x, *y),
                            f,
                            *size,
                            text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                    Op::Rect {
                        x,
                        y,
                        w,
                        h,
                        colour: c,
                    } => {
                        let mut p = PathBuilder::new();
                        if let Some(r) = Rect::from_xywh(*x, *y, *w, *h) {
                            p.push_rect(r);
                        }
                        if let Some(path) = p.finish() {
                            s.set_stroke(None);
                            s.set_fill(Some(Fill {
                                paint: colour(*c).into(),
                                ..Fill::default()
                            }));
                            s.draw_path(&path);
                        }
                    }
                    Op::Line {
                        x1,
                        y1,
                        x2,
                        y2,
                        width,
                        colour: c,
                    } => {
                        let mut p = PathBuilder::new();
                        p.move_to(*x1, *y1);
                        p.line_to(*x2, *y2);
                        if let Some(path) = p.finish() {
                            s.set_fill(None);
                            s.set_stroke(Some(Stroke {
                                paint: colour(*c).into(),
                                width: *width,
                                ..Stroke::default()
                            }));
                            s.draw_path(&path);
                        }
                    }
                }
            }
            s.finish();
            page.finish();
        }
        doc.finish().map_err(|e| format!("{e:?}"))
    }
}

/// The PDF response type.
pub const PDF_MIME: &str = "application/pdf";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_within_the_line_and_keeps_every_word() {
        let l = Layout::new("t").unwrap();
        let text = "Tỷ lệ đạt tiêu chuẩn «An toàn về an ninh, trật tự» của khu dân cư, xã, phường";
        let lines = l.wrap(text, BODY, false, 120.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(l.faces.width(line, BODY, false) <= 120.0, "{line}");
        }
        assert_eq!(lines.join(" "), text);
        // A word longer than the line is cut, not lost.
        let long = "x".repeat(200);
        assert_eq!(l.wrap(&long, BODY, false, 50.0).concat(), long);
    }

    #[test]
    fn a_long_table_runs_onto_more_pages() {
        let mut l = Layout::new("t").unwrap();
        let rows: Vec<Vec<String>> = (0..200)
            .map(|i| vec![format!("Phường {i}"), i.to_string()])
            .collect();
        l.table(&["Đơn vị", "Số"], &[3.0, 1.0], &rows);
        assert!(l.pages.len() >= 3);
        let pdf = l.finish().unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
