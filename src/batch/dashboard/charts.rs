//! Inline SVG charts for the batch dashboard (no script, no network): horizontal bars with a
//! highlighted part, and a heat map with the count in each cell.

use crate::report::html::escape;
use std::io::{self, Write};

/// One bar: its label, its length and the part of it drawn highlighted.
pub struct Bar {
    pub label: String,
    pub value: usize,
    pub highlighted: usize,
}

const LABEL_W: usize = 250;
const BAR_W: usize = 420;
const ROW_H: usize = 22;

/// Horizontal bars, longest first as given; `legend` names the two parts.
pub fn bars(bars: &[Bar], legend: (&str, &str), out: &mut dyn Write) -> io::Result<()> {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = bars.len() * ROW_H + 28;
    // Room on the right for the value and its note ("12 (3 not in the policy)").
    let width = LABEL_W + BAR_W + 190;
    writeln!(
        out,
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">"
    )?;
    for (i, b) in bars.iter().enumerate() {
        let y = i * ROW_H;
        let w = b.value * BAR_W / max;
        let h = b.highlighted.min(b.value) * BAR_W / max;
        writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"label\">{}</text>\
             <rect x=\"{LABEL_W}\" y=\"{}\" width=\"{w}\" height=\"{}\" class=\"all\"><title>{}: {}</title></rect>\
             <rect x=\"{LABEL_W}\" y=\"{}\" width=\"{h}\" height=\"{}\" class=\"hi\"><title>{}: {}</title></rect>\
             <text x=\"{}\" y=\"{}\" class=\"value\">{}{}</text>",
            LABEL_W - 6,
            y + 15,
            escape(&clip(&b.label, 30)),
            y + 3,
            ROW_H - 6,
            escape(&b.label),
            b.value,
            y + 3,
            ROW_H - 6,
            escape(legend.1),
            b.highlighted,
            LABEL_W + w + 5,
            y + 15,
            b.value,
            if b.highlighted > 0 && b.highlighted < b.value {
                format!(" ({} {})", b.highlighted, escape(legend.1))
            } else {
                String::new()
            }
        )?;
    }
    let y = bars.len() * ROW_H + 8;
    writeln!(
        out,
        "<rect x=\"{LABEL_W}\" y=\"{y}\" width=\"12\" height=\"12\" class=\"all\"/><text x=\"{}\" y=\"{}\" class=\"value\">{}</text>\
         <rect x=\"{}\" y=\"{y}\" width=\"12\" height=\"12\" class=\"hi\"/><text x=\"{}\" y=\"{}\" class=\"value\">{}</text></svg>",
        LABEL_W + 16,
        y + 11,
        escape(legend.0),
        LABEL_W + 170,
        LABEL_W + 186,
        y + 11,
        escape(legend.1)
    )
}

/// A heat map: `rows` × `columns`, `value(r, c)` in each cell, darker for larger values.
pub fn heat_map(
    rows: &[String],
    columns: &[String],
    value: impl Fn(usize, usize) -> usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    const CELL: usize = 34;
    const ROW_LABEL: usize = 120;
    const COL_LABEL: usize = 150;
    let max = (0..rows.len())
        .flat_map(|r| (0..columns.len()).map(move |c| (r, c)))
        .map(|(r, c)| value(r, c))
        .max()
        .unwrap_or(0)
        .max(1);
    // The last column labels lean right, past the last cell.
    let width = ROW_LABEL + columns.len() * CELL + COL_LABEL;
    let height = COL_LABEL + rows.len() * CELL + 10;
    writeln!(
        out,
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">"
    )?;
    for (c, name) in columns.iter().enumerate() {
        let x = ROW_LABEL + c * CELL + CELL / 2;
        writeln!(
            out,
            "<text transform=\"translate({x},{}) rotate(-60)\" class=\"label\">{}</text>",
            COL_LABEL - 6,
            escape(&clip(name, 24))
        )?;
    }
    for (r, name) in rows.iter().enumerate() {
        let y = COL_LABEL + r * CELL;
        writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"label\">{}</text>",
            ROW_LABEL - 6,
            y + CELL / 2 + 4,
            escape(&clip(name, 18))
        )?;
        for (c, column) in columns.iter().enumerate() {
            let n = value(r, c);
            let x = ROW_LABEL + c * CELL;
            // Opacity from 0.12 (one app) to 1 (the most apps); empty cells stay light grey.
            let (fill, opacity) = if n == 0 {
                ("#eaeef2", 100)
            } else {
                ("#cf222e", 12 + 88 * n / max)
            };
            writeln!(
                out,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" fill-opacity=\"{}.{:02}\"><title>{} · {}: {n}</title></rect>",
                CELL - 2,
                CELL - 2,
                opacity / 100,
                opacity % 100,
                escape(name),
                escape(column)
            )?;
            if n > 0 {
                writeln!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"{}\">{n}</text>",
                    x + CELL / 2 - 1,
                    y + CELL / 2 + 4,
                    if opacity > 55 { "cell dark" } else { "cell" }
                )?;
            }
        }
    }
    writeln!(out, "</svg>")
}

/// `s` cut to `max` characters with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
