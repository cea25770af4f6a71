/** Text in HTML: one escaper for every message part and page notify writes. */
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };

/** Escaped exactly as Handlebars' escapeExpression escapes a string. */
export function escapeHtml(s: string): string {
  return /[&<>"'`=]/.test(s) ? s.replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c]) : s;
}
