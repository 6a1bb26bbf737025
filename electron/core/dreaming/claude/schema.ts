// What Claude may answer: one tool call whose input is a list of proposed changes. The zod schema
// is the single source: the tool's JSON schema is generated from it (so Claude sees exactly what
// is validated) and every answer is parsed with it before anything touches a lesson.
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

/** The tool definition sent with every request (part of the cached prefix: tools come first). */
export function toolDefinition() {
  const schema = z.toJSONSchema(ToolInput, { target: 'draft-2020-12' }) as Record<string, unknown>;
  delete schema.$schema;
  return {
    name: TOOL_NAME,
    description: 'Record the changes you propose to the lesson set. Call it exactly once; an empty list means "no change".',
    input_schema: { ...schema, type: 'object' as const },
  };
}
