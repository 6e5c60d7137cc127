import MarkdownIt from 'markdown-it';
import { HitTooLargeError } from '../errors.js';

/** HTMLQuestion schema namespace (dojo.md §5.3). */
export const HTML_QUESTION_NS =
  'http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd';
/** MTurk's limit on the `Question` string. */
export const MAX_QUESTION_BYTES = 65_535;

// html: false escapes raw HTML in the Markdown (upstream injected it raw); xhtmlOut gives self-closed tags;
// markdown-it's validateLink already refuses javascript:, vbscript:, file: and non-image data: links.
const markdown = new MarkdownIt({ html: false, xhtmlOut: true, linkify: false, typographer: false });

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Renders a completion's Markdown as sanitised XHTML (raw HTML is shown as text). */
export function renderCompletion(text: string): string {
  return markdown.render(text);
}

// A CDATA section ends at the first "]]>", so split any occurrence across two sections.
function cdata(content: string): string {
  return `<![CDATA[${content.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/**
 * Builds the HIT's `HTMLQuestion` XML (dojo.md §5.3): instructions, the escaped prompt, each completion rendered from
 * Markdown, one 1–10 `crowd-slider` per completion named by its raw cid, and a thank-you toast.
 *
 * @param prompt - the request prompt (HTML-escaped).
 * @param completions - `{cid, text}` in request order.
 * @returns the XML string.
 * @throws HitTooLargeError when the result exceeds 65 535 bytes.
 */
export function buildHtmlQuestion(prompt: string, completions: ReadonlyArray<{ cid: string; text: string }>): string {
  const n = completions.length;
  const responses = completions
    .map(
      (c, i) =>
        `<div class="response"><h3>Response #${i + 1}:</h3><div class="response-body">${renderCompletion(c.text)}</div></div>`,
    )
    .join('\n');
  const sliders = completions
    .map(
      (c, i) =>
        `<li><p>Response #${i + 1}</p><crowd-slider name="${escapeHtml(c.cid)}" min="1" max="10" step="0.01" required pin></crowd-slider></li>`,
    )
    .join('\n');
  const html = `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"/><script src="https://assets.crowd.aws/crowd-html-elements.js"></script></head>
<body>
<crowd-form>
<p><strong>Read the prompt and the ${n} responses below (up to ${n} sentences each). Score each response on a scale of 1 to 10 for quality: 1 is the worst, 10 the best.</strong></p>
<div class="prompt"><h2>Prompt:</h2><p>${escapeHtml(prompt)}</p></div>
${responses}
<h2>Score each response here!</h2>
<ol>
${sliders}
</ol>
<crowd-toast duration="10000" text="Thank you for contributing to the future of AI!"></crowd-toast>
</crowd-form>
</body>
</html>`;
  const xml = `<HTMLQuestion xmlns="${HTML_QUESTION_NS}"><HTMLContent>${cdata(html)}</HTMLContent><FrameHeight>0</FrameHeight></HTMLQuestion>`;
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes > MAX_QUESTION_BYTES) throw new HitTooLargeError(bytes);
  return xml;
}
