"""The page shell: stylesheet, the one small script (sortable tables), and a Content
Security Policy that forbids every network request, so the file works offline and an
escaping mistake could not make it call out."""

from __future__ import annotations

import base64
import hashlib
from html import escape

# Fonts: after the Latin system fonts, CJK (Simplified Chinese first: the PRC releases are
# the reference case; the same fonts carry Traditional, Japanese and Korean glyphs), then
# Arabic, for each OS; a browser takes each character from the first font that has it.
FONTS = ('system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",'
         '"Source Han Sans SC","PingFang SC","Hiragino Sans","Microsoft YaHei",'
         '"Malgun Gothic","Noto Sans Arabic","Noto Naskh Arabic","Geeza Pro",sans-serif')
MONO = ('ui-monospace,"SFMono-Regular",Menlo,Consolas,"Noto Sans Mono CJK SC",'
        '"Noto Sans CJK SC","PingFang SC","Microsoft YaHei","Noto Sans Arabic",monospace')

STYLE = """
:root{--ink:#1d2733;--muted:#5c6b7a;--line:#d9e0e7;--bg:#f4f6f8;--card:#fff;
--accent:#2f5d8a;--mark:#c0392b;--disc:#d35400;--code:#f0f3f6}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 FONTS;
color:var(--ink);background:var(--bg)}
header{background:#17212b;color:#e8edf2;padding:18px 32px 14px}
header h1{margin:0;font-size:21px;font-weight:600;letter-spacing:.2px}
header .meta{color:#9fb0c0;font-size:12.5px;margin-top:4px}
header .meta b{color:#dfe6ed;font-weight:500}
nav{background:#223041;padding:0 32px;position:sticky;top:0;z-index:2}
nav a{display:inline-block;color:#c9d4de;text-decoration:none;padding:8px 12px 8px 0;
margin-right:10px;font-size:13px}
nav a:hover{color:#fff}
main{max-width:1180px;margin:0 auto;padding:18px 32px 40px}
section{background:var(--card);border:1px solid var(--line);border-radius:6px;
padding:16px 20px;margin:0 0 18px}
h2{font-size:17px;margin:0 0 4px;font-weight:600}
h3{font-size:14.5px;margin:16px 0 6px;font-weight:600}
p.lead,.note{color:var(--muted);margin:2px 0 12px;max-width:900px}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;
margin:10px 0 14px}
.kpi{border:1px solid var(--line);border-radius:5px;padding:8px 12px;background:#fafbfc}
.kpi .v{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.kpi .k{color:var(--muted);font-size:12px}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:14px 28px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:4px 0 8px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef2f5;font-weight:600;white-space:nowrap}
th.sortable{cursor:pointer}th.sortable:after{content:" \\2195";color:#9aa8b5;font-size:11px}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.text{white-space:pre-wrap;word-break:break-word;max-width:560px}
code,pre{font-family:MONO;font-size:12px}
code{background:var(--code);padding:1px 4px;border-radius:3px;word-break:break-all}
code.acct{display:inline-block;max-width:13em;overflow:hidden;text-overflow:ellipsis;
white-space:nowrap;vertical-align:bottom;word-break:normal}
pre{background:var(--code);padding:10px 12px;border-radius:4px;overflow-x:auto;
white-space:pre-wrap;margin:4px 0 10px}
details{margin:8px 0}
details>summary{cursor:pointer;color:var(--accent);font-size:13px}
details.repro{border-top:1px dashed var(--line);padding-top:8px;margin-top:14px}
details.repro .q{margin:8px 0 4px;font-size:12.5px;color:var(--muted)}
.tag{display:inline-block;font-size:11px;padding:0 6px;border-radius:9px;
background:#fde8dc;color:var(--disc);border:1px solid #f5c3a5}
.empty{color:var(--muted);font-style:italic}
.ring{border:1px solid var(--line);border-radius:6px;padding:12px 14px;margin:14px 0}
.ring .head{display:flex;gap:18px;flex-wrap:wrap;align-items:baseline}
.ring .head b{font-size:15px}
.ringbody{display:grid;grid-template-columns:380px minmax(0,1fr);gap:18px}
.scroll{overflow-x:auto}
td.d{white-space:nowrap}
@media (max-width:900px){.ringbody{grid-template-columns:1fr}}
.legend{font-size:12px;color:var(--muted)}
.legend i{display:inline-block;width:10px;height:10px;border-radius:50%;margin:0 4px 0 10px}
svg text{font-family:inherit}
svg .grid{stroke:#e5eaef;stroke-width:1}
svg .axis{stroke:#8a98a6;stroke-width:1}
svg .tick{fill:#66788a;font-size:11px}
svg .lbl{fill:var(--ink);font-size:12px}
svg .val{fill:#66788a;font-size:11px}
svg .bar{fill:var(--accent)}
svg .bar.mark{fill:var(--mark)}
svg .cell{fill:var(--accent)}
svg.net{max-width:380px;border:1px solid var(--line);border-radius:4px;background:#fbfcfd}
svg .edge{stroke:#7f93a8;stroke-opacity:.55}
svg .node{fill:#5b7fa6;stroke:#fff;stroke-width:1.2}
svg .node.disclosed{fill:var(--disc)}
svg .nlbl{fill:#3d4b59;font-size:9.5px}
footer{color:var(--muted);font-size:12px;text-align:center;padding:0 0 30px}
""".replace("FONTS", FONTS).replace("MONO", MONO)

# Sort a table by a clicked header; cells carry data-v when their text is not the value.
SCRIPT = """
document.querySelectorAll("th.sortable").forEach(function (th) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var i = Array.prototype.indexOf.call(th.parentNode.children, th);
    var asc = th.dataset.dir !== "asc"; th.dataset.dir = asc ? "asc" : "desc";
    var rows = Array.prototype.slice.call(body.rows);
    function key(r) { var c = r.cells[i]; var v = c.dataset.v !== undefined ? c.dataset.v
      : c.textContent; var f = parseFloat(v); return isNaN(f) ? v.toLowerCase() : f; }
    rows.sort(function (a, b) { var x = key(a), y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""


def _script_hash() -> str:
    digest = hashlib.sha256(SCRIPT.encode()).digest()
    return "sha256-" + base64.b64encode(digest).decode()


def shell(*, title: str, meta: str, nav: list[tuple[str, str]], body: str,
          footer: str) -> str:
    """The whole document; `meta`, `body` and `footer` are already-escaped HTML."""
    csp = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
           f"script-src '{_script_hash()}'; base-uri 'none'; form-action 'none'")
    links = "".join(f'<a href="#{escape(anchor)}">{escape(text)}</a>' for anchor, text in nav)
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><div class=\"meta\">{meta}</div></header>"
        f"<nav>{links}</nav><main>{body}</main><footer>{footer}</footer>"
        f"<script>{SCRIPT}</script></body></html>\n"
    )
