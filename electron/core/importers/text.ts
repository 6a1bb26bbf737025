/** Shortens text for storage and display, keeping the start (where errors and commands are). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
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
