// A bulk action's answer: one result per id, so that partial failures are listed, never hidden.
export type BulkItemResult =
  | { reportId: string; ok: true; status: string }
  | { reportId: string; ok: false; httpStatus: number; error: string; code?: string; message: string };
