import type { AgentTool, ImportError, SessionEvent } from '../../../shared/model';

/** What a format importer hands to the pipeline: one normalized session, not yet redacted. */
export interface ParsedSession {
  /** Stable id derived from the source (the tool's own session id where it has one). */
  id: string;
  tool: AgentTool;
  /** The working directory / project the agent ran in, when the format records it. */
  project: string | null;
  title: string;
  events: SessionEvent[];
  /**
   * Identifies the conversation across files (Claude Code: its first record's uuid). A resumed
   * session copied into a new file under a new id has the same root and merges into the first.
   */
  rootKey?: string;
  /** The session this one was forked from (a Codex fork copies its parent's opening turns). */
  forkedFrom?: string;
}

export interface ParseContext {
  file: string;
  /** The first ~64 KiB of the file as text (what detection saw), when the pipeline has read it. */
  head?: string;
  /**
   * The file's bytes, when the pipeline's head read reached its end (most session logs are a few KB):
   * line readers take them instead of opening and reading the file a second time.
   */
  content?: Buffer;
  /** Report a problem with one line/record; parsing goes on. */
  warn(e: Omit<ImportError, 'file'>): void;
  /** The file is a valid log that holds no user work (a warm-up or compaction subagent): not an error. */
  skip(reason: string): void;
  /** Bytes read so far (streaming readers report as they go, for progress). */
  onBytes?(n: number): void;
  /** Read only from here: the file grew since it was imported and its prefix is unchanged (importers marked `appendable`). */
  from?: { offset: number; line: number };
  /**
   * Told where the last complete line read ends (line readers): where the next import of the grown file may
   * start; read from the start, with the sha1 of the bytes before it (files.ts prefixHash).
   */
  onReached?(at: { offset: number; line: number; prefixHash?: string }): void;
}

export interface FormatImporter {
  tool: AgentTool;
  /** Decide by content: `head` is the first ~64 KiB of the file as text. */
  detect(head: string, file: string): boolean;
  parse(file: string, ctx: ParseContext): AsyncIterable<ParsedSession>;
  /**
   * Appending lines to a file only appends to its one session (an agent still writing it): a grown
   * file can be parsed from where the last import ended and merged into that session.
   */
  appendable?: boolean;
}
