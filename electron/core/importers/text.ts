/**
 * Shortens text for storage and display, keeping the start (where errors and commands are). The cut
 * falls before the word it would split, so no fragment of a token survives that redaction (which
 * runs on the clipped text) could no longer recognize.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  let end = head.length;
  while (end > 0 && !/\s/.test(head[end - 1])) end--;
  return `${end > 0 ? head.slice(0, end) : head}…`;
}

/** Joins the text of content blocks of the given types (Anthropic/OpenAI-style block arrays). */
export function textOfBlocks(blocks: unknown[], types: string[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (typeof b === 'string') out.push(b);
    else if (b && typeof b === 'object') {
      const r = b as Record<string, unknown>;
      if (types.includes(String(r.type)) && typeof r.text === 'string') out.push(r.text);
    }
  }
  return out.join('\n');
}
