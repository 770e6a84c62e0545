import { forbiddenTermSpans } from '@opslot/core';
import { html, type TemplateResult } from 'lit';

/**
 * `text` with every forbidden term in `<mark>`: those the Advertising Law list finds, and `extra` ones the server named.
 * Text stays text: nothing of it becomes markup.
 */
export function highlightTerms(text: string, extra: readonly string[] = []): (string | TemplateResult)[] {
  const spans = forbiddenTermSpans(text);
  for (const word of [...extra].filter(Boolean).sort((a, b) => b.length - a.length)) {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) {
      const end = at + word.length;
      if (!spans.some((span) => span.start < end && at < span.end)) spans.push({ start: at, end, term: word });
    }
  }
  spans.sort((a, b) => a.start - b.start);
  const parts: (string | TemplateResult)[] = [];
  let at = 0;
  for (const span of spans) {
    if (span.start > at) parts.push(text.slice(at, span.start));
    parts.push(html`<mark>${text.slice(span.start, span.end)}</mark>`);
    at = span.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}
