// What Claude may answer: one tool call whose input is a list of proposed changes. The zod schema
// is the single source: the tool's JSON schema is generated from it (so Claude sees exactly what
// is validated) and every answer is parsed with it before anything touches a lesson.
import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import { z } from 'zod';

/** Short handles (L3, C7, E12) stand in for ids: cheaper to send, and Claude cannot invent a real id. */
const LessonRef = z.string().regex(/^L\d+$/).describe('a lesson handle from <lessons>, e.g. "L3"');
const ClusterRef = z.string().regex(/^C\d+$/).describe('a cluster handle from <clusters>, e.g. "C7"');
const EvidenceRef = z.string().regex(/^E\d+$/).describe('an evidence handle from <clusters>, e.g. "E12"');
const Reason = z.string().min(3).max(240).describe('one line a person can read: why this change');
const Title = z.string().min(3).max(100);
const Text = z.string().min(8).max(400).describe('imperative, specific, short');

export const Proposal = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('sharpen'),
    lesson: LessonRef,
    title: Title.optional(),
    text: Text,
    reason: Reason,
  }).describe('Reword a lesson so it is imperative, specific and short. Never for locked lessons.'),
  z.object({
    op: z.literal('merge'),
    into: LessonRef,
    absorb: z.array(LessonRef).min(1).max(6),
    title: Title.optional(),
    text: Text.optional(),
    reason: Reason,
  }).describe('Lessons that say the same thing: keep `into`, retire the `absorb`ed ones. Locked lessons cannot be absorbed, and a locked `into` keeps its wording.'),
  z.object({
    op: z.literal('retire'),
    lesson: LessonRef,
    conflictsWith: LessonRef.optional(),
    reason: Reason,
  }).describe('A lesson contradicted by another lesson or by newer evidence. Never for locked lessons.'),
  z.object({
    op: z.literal('add'),
    kind: z.enum(['mistake', 'preference', 'workflow', 'practice', 'pitfall']),
    title: Title,
    text: Text,
    clusters: z.array(ClusterRef).min(1).max(12),
    evidence: z.array(EvidenceRef).min(1).max(8),
    reason: Reason,
  }).describe('A lesson the heuristics missed, usually one preference worded differently in several clusters. Cite the clusters and evidence it rests on.'),
]);
export type Proposal = z.infer<typeof Proposal>;

export const ToolInput = z.object({ changes: z.array(Proposal).max(40) });
export type ToolInput = z.infer<typeof ToolInput>;

export const TOOL_NAME = 'record_changes';

/** A tool definition whose JSON schema is generated from the zod schema its input is parsed with. */
export function toolFor(name: string, description: string, input: z.ZodType) {
  const schema = z.toJSONSchema(input, { target: 'draft-2020-12' }) as Record<string, unknown>;
  delete schema.$schema;
  return { name, description, input_schema: { ...schema, type: 'object' as const } };
}

/** The tool definition sent with every refinement request (part of the cached prefix: tools come first). */
export const toolDefinition = () => toolFor(TOOL_NAME, 'Record the changes you propose to the lesson set. Call it exactly once; an empty list means "no change".', ToolInput);

/** Every call of tool `name` in the answer, validated; or what was wrong with the answer. */
export function parseToolCalls<T>(message: Message, name: string, input: z.ZodType<T>): { ok: true; values: T[] } | { ok: false; problem: string } {
  const calls = (message.content ?? []).filter((b): b is Extract<typeof b, { type: 'tool_use' }> => b.type === 'tool_use' && b.name === name);
  if (!calls.length) return { ok: false, problem: message.stop_reason === 'max_tokens' ? 'the answer was cut off at max_tokens' : `no ${name} call in the answer (stop reason: ${message.stop_reason ?? 'none'})` };
  const values: T[] = [];
  for (const call of calls) {
    const r = input.safeParse(call.input);
    if (!r.success) return { ok: false, problem: `the ${name} input does not match its schema (${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')})` };
    values.push(r.data);
  }
  return { ok: true, values };
}
