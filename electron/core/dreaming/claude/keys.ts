// Pattern keys of lessons the Claude engine creates.
/**
 * A lesson Claude found across several sub-threshold clusters is keyed on all their signal keys,
 * so a later dream (or a tombstone after the user deletes it) knows which variants it covers.
 */
export const CLAUDE_KEY_PREFIX = 'claude:';
export const claudePatternKey = (keys: string[]) => `${CLAUDE_KEY_PREFIX}${JSON.stringify([...new Set(keys)].sort())}`;

/** The signal keys a pattern key stands for: itself, or the variants a Claude-made lesson covers. */
export function coveredKeys(patternKey: string): string[] {
  if (!patternKey.startsWith(CLAUDE_KEY_PREFIX)) return [patternKey];
  try {
    const keys = JSON.parse(patternKey.slice(CLAUDE_KEY_PREFIX.length)) as unknown;
    return Array.isArray(keys) ? [patternKey, ...keys.filter((k): k is string => typeof k === 'string')] : [patternKey];
  } catch {
    return [patternKey];
  }
}
