//! Styles for the HTML report's matrix, permissions and declarations sections, and the
//! `@media print` rules that make a printed or PDF report keep every piece of evidence: folded
//! `<details>` print unfolded, links print as plain text, rows do not split across pages.
//!
//! ```
//! assert!(disclose::report::html_style::STYLE.contains("@media print"));
//! ```

/// Appended to the report's own style sheet.
pub const STYLE: &str = "
.app-name{color:#57606a;font-weight:400}
.app-icon{vertical-align:middle;border-radius:10px;margin-right:.3rem}
.legend{font-size:.85rem;color:#57606a}
.matrix-wrap{overflow-x:auto}
table.matrix{width:auto;table-layout:auto;border-collapse:collapse}
table.matrix th.col{vertical-align:bottom;padding:.2rem;border-left:1px solid #eaeef2;height:9rem;min-width:1.7rem}
table.matrix th.col span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;max-height:11rem;overflow:hidden;text-overflow:ellipsis;display:inline-block}
table.matrix th.row{font-weight:500;color:#1b1f24;font-size:.85rem;min-width:12rem;max-width:22rem}
table.matrix th.corner{vertical-align:bottom}
table.matrix td{text-align:center;white-space:nowrap;border-left:1px solid #eaeef2;font-size:.8rem;padding:.25rem .3rem}
table.matrix td a{text-decoration:none;margin:0 .08rem;color:#0969da;font-weight:600}
.mk{display:inline-block;border-radius:.2rem;padding:0 .25rem;font-weight:700}
td.gap,td.clash{background:#ffebe9}td.ok{background:#dafbe1}
td.gap a.mk,.mk.gap{background:#cf222e;color:#fff}td.clash a.mk,.mk.clash{background:#8250df;color:#fff}
td.ok a.mk,.mk.ok{background:#1a7f37;color:#fff}
td.vague{background:#fff8c5}td.vague a.mk,.mk.vague{background:#9a6700;color:#fff}
col.what{width:16rem}
.obs{border-top:1px solid #eaeef2;padding:.4rem 0}.obs ul{margin:.2rem 0;padding-left:1.2rem}
.obs li{margin:.1rem 0}
:target{outline:2px solid #d4a72c;outline-offset:2px}
@media print{
body{max-width:none;margin:0;padding:0;font-size:10pt}
details::details-content{content-visibility:visible;display:block}
details>summary{list-style:none;color:#1b1f24}
details>summary::-webkit-details-marker{display:none}
a{color:inherit;text-decoration:none}
section{break-inside:auto;border:none;padding:0}
tr,.obs li,blockquote{break-inside:avoid}
h2{break-after:avoid}
.matrix-wrap{overflow:visible}
.card,.sev,.mk,td.gap,td.ok,td.clash,td.vague{print-color-adjust:exact;-webkit-print-color-adjust:exact}
code{overflow-wrap:anywhere;white-space:pre-wrap}
}";
