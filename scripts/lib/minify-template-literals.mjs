// Lit keeps the text of `css` and `html` tagged templates as written, comments and indentation included, and no
// JavaScript minifier touches template contents. This rollup plugin squeezes our own components' templates:
// - `css`: comments go, white space collapses, and none is left where CSS never needs it (around braces,
//   semicolons and commas, and after a colon). Templates with `${}` interpolations are left alone.
// - `html`: white space that spans a line break is formatting, not content: it goes entirely next to a tag and
//   becomes one space elsewhere (between words or attributes). Only the static parts change; interpolated
//   expressions are kept as written.

/** The CSS text, minus comments and unneeded white space. */
export function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}

/** One static part of an `html` template, minus the white space that only formats the source. */
export function minifyHtmlPart(text) {
  return text.replace(/\s*\n\s*/g, (space, offset) => {
    const before = text[offset - 1];
    const after = text[offset + space.length];
    // At either end of a part, an interpolation follows or precedes: the space may separate attributes, so it stays.
    return before === '>' || after === '<' ? '' : ' ';
  });
}

/**
 * Finds the end of the template literal whose opening backtick is at `start`, calling `onPart` with each static part
 * (which may rewrite it). Nested templates inside `${}` are walked too, and rewritten by `rewriteNested`.
 */
function scanTemplate(code, start, onPart, rewriteNested) {
  let out = '';
  let part = '';
  let index = start + 1;
  while (index < code.length) {
    const char = code[index];
    if (char === '\\') {
      part += code.slice(index, index + 2);
      index += 2;
    } else if (char === '`') {
      return { end: index + 1, text: `${out}${onPart(part)}` };
    } else if (char === '$' && code[index + 1] === '{') {
      out += `${onPart(part)}\${`;
      part = '';
      const expression = scanExpression(code, index + 2, rewriteNested);
      out += `${expression.text}}`;
      index = expression.end + 1;
    } else {
      part += char;
      index += 1;
    }
  }
  throw new Error('unterminated template literal');
}

/** Scans a `${…}` expression up to its closing brace, rewriting the tagged templates inside it. */
function scanExpression(code, start, rewriteNested) {
  let depth = 0;
  let text = '';
  let index = start;
  while (index < code.length) {
    const char = code[index];
    if (char === '`') {
      const nested = rewriteNested(code, index);
      text += nested.text;
      index = nested.end;
      continue;
    }
    if (char === "'" || char === '"') {
      let end = index + 1;
      while (code[end] !== char) end += code[end] === '\\' ? 2 : 1;
      text += code.slice(index, end + 1);
      index = end + 1;
      continue;
    }
    if (char === '{') depth += 1;
    if (char === '}') {
      if (depth === 0) return { end: index, text };
      depth -= 1;
    }
    text += char;
    index += 1;
  }
  throw new Error('unterminated template expression');
}

/** Rewrites every `css` and `html` tagged template in `code`. */
export function minifyTemplates(code) {
  let out = '';
  let index = 0;
  const rewriteAt = (source, backtick) => {
    const tag = /(?:^|[^\w$.])(css|html)$/.exec(source.slice(Math.max(0, backtick - 5), backtick))?.[1];
    const onPart = tag === 'html' ? minifyHtmlPart : (part) => part;
    const scanned = scanTemplate(source, backtick, onPart, rewriteAt);
    if (tag !== 'css' || scanned.text.includes('${')) return { end: scanned.end, text: `\`${scanned.text}\`` };
    return { end: scanned.end, text: `\`${minifyCss(scanned.text)}\`` };
  };
  for (;;) {
    const backtick = code.indexOf('`', index);
    if (backtick === -1) return out + code.slice(index);
    out += code.slice(index, backtick);
    const rewritten = rewriteAt(code, backtick);
    out += rewritten.text;
    index = rewritten.end;
  }
}

/** @param {{ include: RegExp }} options which modules to minify, e.g. /\/packages\/elements\/src\// */
export function minifyTemplateLiterals({ include }) {
  return {
    name: 'opslot-minify-template-literals',
    transform(code, id) {
      if (!include.test(id) || !code.includes('`')) return null;
      const minified = minifyTemplates(code);
      return minified === code ? null : { code: minified, map: null };
    },
  };
}
