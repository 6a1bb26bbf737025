// Uploads: how browser mode (and drag and drop in the desktop app) imports files the page holds
// but the core cannot open by path. The page sends file contents in chunks under the bridge's
// body limit; the core writes them into a content-addressed folder of the store (the same file
// uploaded twice lands on the same path, so the import ledger keeps it idempotent) and imports
// them like any other path. Large files stream in several `uploads.chunk` calls.
import { z } from 'zod';
import { ImportResult } from '../model';
import { NoInput, mutation } from './define';

/** A path relative to the dropped folder ("proj/abc.jsonl"): no absolute paths, no "..". */
export const UploadPath = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.split(/[\\/]/).some((s) => s === '..' || s === ''), 'a relative file name without ".." or empty parts');

export const UploadChunk = z
  .object({
    uploadId: z.string().regex(/^[a-z0-9-]{8,64}$/),
    path: UploadPath,
    /** UTF-8 text of this part; parts of one file arrive in order. */
    text: z.string().max(12 * 1024 * 1024),
    /** True for the first part of a file (truncates anything an aborted attempt left). */
    first: z.boolean(),
  })
  .strict();

export const uploads = {
  /** Opens an upload; returns its id (a staging folder in the store). */
  'uploads.begin': mutation(NoInput, z.object({ uploadId: z.string() })),
  'uploads.chunk': mutation(UploadChunk, z.object({ bytes: z.number().int().nonnegative() })),
  /** Imports everything uploaded under the id; errors name the files as the user dropped them. */
  'uploads.finish': mutation(z.object({ uploadId: z.string().regex(/^[a-z0-9-]{8,64}$/), agent: z.string().min(1).optional() }).strict(), ImportResult),
};
