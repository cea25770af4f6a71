/**
 * The shipped templates without Handlebars at run time. Loading Handlebars and compiling a
 * template costs a close about a tenth of its CPU; the shipped templates use only values,
 * {{#if}} and {{#unless}} (with {{else}} and {{else if}}) and {{#each}} over a list. Such a
 * template is turned, when notify is built, from the tree Handlebars parses (its whitespace rules
 * already applied) into a program of three kinds of steps besides text, which runProgram follows.
 *
 * runProgram gives what Handlebars gives in strict mode without escaping (the subject and the
 * Markdown are compiled that way) wherever it runs to the end. Wherever Handlebars would do
 * anything else (a name the values lack, a value that is not text, a property inherited rather
 * than owned, a list that is not an array of objects), it gives up, and the caller renders that message
 * with Handlebars itself, whose errors and results stay the reference.
 */

/** Content, a value, or a block. Paths are property names from the block's context. */
export type Step = string | { value: string[] } | { if: string[]; then: Step[]; else: Step[] } | { each: string[]; then: Step[]; else: Step[] };

/** Handlebars' own helpers: a value of one of these names would call the helper. */
const HELPERS = new Set(['blockHelperMissing', 'each', 'helperMissing', 'if', 'log', 'lookup', 'unless', 'with']);

/**
 * The program of a template parsed by Handlebars.parse (whitespace control applied), or
 * undefined when the template uses anything beyond values, if, unless and each.
 */
export function programOf(ast: hbs.AST.Program): Step[] | undefined {
  try {
    return steps(ast);
  } catch (err) {
    if (err === OUTSIDE) return undefined;
    throw err;
  }
}

const OUTSIDE = new Error('outside the subset');

function steps(program: hbs.AST.Program | undefined): Step[] {
  const out: Step[] = [];
  for (const node of program?.body ?? []) {
    if (node.type === 'ContentStatement') {
      const value = (node as hbs.AST.ContentStatement).value;
      if (value !== '') out.push(value);
    } else if (node.type === 'CommentStatement') {
      continue;
    } else if (node.type === 'MustacheStatement') {
      const m = node as hbs.AST.MustacheStatement;
      if (m.params.length > 0 || m.hash) throw OUTSIDE;
      const p = plainPath(m.path);
      if (p.length === 1 && HELPERS.has(p[0])) throw OUTSIDE;
      out.push({ value: p });
    } else if (node.type === 'BlockStatement') {
      const b = node as hbs.AST.BlockStatement;
      const helper = b.path.type === 'PathExpression' ? (b.path as hbs.AST.PathExpression).original : '';
      if ((helper !== 'if' && helper !== 'unless' && helper !== 'each') || b.params.length !== 1 || b.hash || (b.program?.blockParams?.length ?? 0) > 0) throw OUTSIDE;
      const on = plainPath(b.params[0]);
      const block = { then: steps(b.program), else: steps(b.inverse) };
      // Handlebars' #unless is its #if with the two branches swapped.
      if (helper === 'unless') out.push({ if: on, then: block.else, else: block.then });
      else out.push(helper === 'if' ? { if: on, ...block } : { each: on, ...block });
    } else {
      throw OUTSIDE;
    }
  }
  return out;
}

/** `a` or `a.b`: names from the context, no `this`, `../`, `@data` or `[literal]` segment. */
function plainPath(expr: hbs.AST.Expression): string[] {
  if (expr.type !== 'PathExpression') throw OUTSIDE;
  const p = expr as hbs.AST.PathExpression;
  if (p.data || p.depth !== 0 || p.parts.length === 0 || p.original !== p.parts.join('.')) throw OUTSIDE;
  if (p.parts.some((part) => part in Object.prototype || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(part))) throw OUTSIDE;
  return p.parts;
}

const GIVE_UP = Symbol('give up');

/** The text of `program` for `context`, or undefined where Handlebars is to render it instead. */
export function runProgram(program: Step[], context: unknown): string | undefined {
  const out = run(program, context);
  return out === GIVE_UP ? undefined : out;
}

function run(program: Step[], context: unknown): string | typeof GIVE_UP {
  let out = '';
  for (const step of program) {
    if (typeof step === 'string') {
      out += step;
      continue;
    }
    if ('value' in step) {
      const v = lookup(context, step.value);
      // Text only: Handlebars adds two numbers side by side ({{a}}{{b}} of 1 and 2 gives "3").
      if (typeof v === 'string') out += v;
      else if (v != null) return GIVE_UP;
      continue;
    }
    let part: string | typeof GIVE_UP;
    if ('if' in step) {
      const v = lookup(context, step.if);
      if (v === GIVE_UP || typeof v === 'function') return GIVE_UP;
      // Handlebars' #if: false, 0, '', null, undefined, NaN and [] take the {{else}}.
      part = !v || (Array.isArray(v) && v.length === 0) ? run(step.else, context) : run(step.then, context);
    } else {
      const list = lookup(context, step.each);
      if (list === GIVE_UP || typeof list === 'function') return GIVE_UP;
      if (list !== null && typeof list === 'object' && !Array.isArray(list)) return GIVE_UP;
      const items = Array.isArray(list) ? list : [];
      // Every item an object of its own (a hole or a plain value: Handlebars' own rules).
      if (items.length !== Object.keys(items).length || items.some((item) => item === null || typeof item !== 'object')) return GIVE_UP;
      part = '';
      for (const item of items) {
        const one = run(step.then, item);
        if (one === GIVE_UP) return GIVE_UP;
        part += one;
      }
      if (items.length === 0) part = run(step.else, context);
    }
    if (part === GIVE_UP) return GIVE_UP;
    out += part;
  }
  return out;
}

/** Own properties of objects only: anything else is where Handlebars' rules take over. */
function lookup(context: unknown, path: string[]): unknown {
  let v = context;
  for (const name of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, name)) return GIVE_UP;
    v = (v as Record<string, unknown>)[name];
  }
  return v;
}
