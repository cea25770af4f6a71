/**
 * Rendering once per distinct message rather than once per recipient. The messages of one party
 * differ only in the recipient, and Markdown to HTML is most of what a render costs. So a
 * template is rendered once per set of variables with the recipient's name and address
 * replaced by placeholders, and each recipient's own values are put in their place.
 *
 * That is exact only where a value cannot change what the Markdown means. It is taken only
 * when it is: the name is letters and digits with single spaces, starting with a letter (so it
 * reads as a word, never as markup, and HTML-escaping leaves it alone); the address is not used
 * at all (an address is an autolink to Markdown); and in the HTML every placeholder stands
 * between characters that end a word (a space, a tag, punctuation before a space). Anything
 * else is rendered as it always was, for its recipient alone.
 */
import { render, type CompiledTemplate, type Rendered, type TemplateVars } from './render.js';

/** Letters only: to Markdown a word like any name; nothing a template or a map would hold. */
const NAME = 'Zqxnotifyrecipientnamexqz';
const EMAIL = 'Zqxnotifyrecipientemailxqz';
const SAFE_NAME = /^\p{L}[\p{L}\p{M}\p{N}]*(?: [\p{L}\p{M}\p{N}]+)*$/u;
/** Before the placeholder in the HTML: the start, a space, a tag's end, an opening bracket or quote. */
const BEFORE = /[\s>("']$/;
/** After it: the end, a space, a tag, closing punctuation; a full stop or a colon only before a space or a tag. */
const AFTER = /^(?:$|[\s<,;!?)"']|[.:](?:$|[\s<]))/;

interface Shared {
  /** Rendered with the placeholders; undefined when this set of variables is rendered per recipient. */
  rendered?: Rendered;
}

export type Renderer = (t: CompiledTemplate, vars: TemplateVars) => Rendered;

/** A render function that shares work between recipients where that gives the very same result as `renderOne`. */
export function sharedRenderer(renderOne: Renderer = render): Renderer {
  const byTemplate = new Map<CompiledTemplate, Map<string, Shared>>();
  return (t, vars) => {
    const { name } = vars.recipient;
    if (name !== '' && !SAFE_NAME.test(name)) return renderOne(t, vars);
    const placeholders = { ...vars, recipient: { name: name === '' ? '' : NAME, email: EMAIL } };
    const key = JSON.stringify(placeholders);
    let entries = byTemplate.get(t);
    if (!entries) byTemplate.set(t, (entries = new Map()));
    let shared = entries.get(key);
    if (!shared) {
      shared = share(() => renderOne(t, placeholders), key, name === '' ? 0 : 1);
      entries.set(key, shared);
    }
    const r = shared.rendered;
    if (!r) return renderOne(t, vars);
    if (name === '') return r;
    return { subject: r.subject.replaceAll(NAME, name), text: r.text.replaceAll(NAME, name), html: r.html.replaceAll(NAME, name) };
  };
}

function share(renderPlaceholders: () => Rendered, key: string, names: number): Shared {
  // A map that happens to hold a placeholder's letters: no sharing.
  if (key.split(NAME).length !== names + 1 || key.split(EMAIL).length !== 2) return {};
  let r: Rendered;
  try {
    r = renderPlaceholders();
  } catch {
    return {}; // each recipient's own render gives the error, with its own values
  }
  if ([r.subject, r.text, r.html].some((s) => s.includes(EMAIL))) return {};
  return wordLike(r.html) ? { rendered: r } : {};
}

/** Every placeholder in the HTML stands where any word of letters would read the same. */
function wordLike(html: string): boolean {
  for (let at = html.indexOf(NAME); at >= 0; at = html.indexOf(NAME, at + NAME.length)) {
    if (at > 0 && !BEFORE.test(html[at - 1])) return false;
    if (!AFTER.test(html.slice(at + NAME.length, at + NAME.length + 2))) return false;
  }
  return true;
}
