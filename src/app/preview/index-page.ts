/** The index.html of a preview folder: each message's headers, with links to its HTML and .eml. */
import { escapeHtml } from '../../domain/html.js';

export interface IndexEntry {
  headers: [string, string][];
  status: string;
  html: string;
  eml: string;
}


export function indexPage(project: string, entries: IndexEntry[]): string {
  const items = entries
    .map((e) => {
      const rows = e.headers.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
      return `<section><p><a href="${escapeHtml(encodeURIComponent(e.html))}">${escapeHtml(e.html)}</a> · <a href="${escapeHtml(encodeURIComponent(e.eml))}">${escapeHtml(e.eml)}</a> · ${escapeHtml(e.status)}</p><table>${rows}</table></section>`;
    })
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>notify preview: ${escapeHtml(project)}</title>
<style>body{font-family:sans-serif;max-width:60em}section{border-top:1px solid #ccc;padding:.5em 0}th{text-align:left;padding-right:1em;vertical-align:top;color:#555}</style></head>
<body><h1>Preview of the close of ${escapeHtml(project)}: ${entries.length} message${entries.length === 1 ? '' : 's'}</h1>
${items}
</body></html>
`;
}
