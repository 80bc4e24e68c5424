/**
 * Fault reports (S-1) in the web app: the statuses and their colours, the console queue's
 * default filter, and the photo checks the browser makes before uploading (the service
 * checks again by content). Photos go up one per request so a report's six photos never
 * meet the gateway's body limit.
 */
import { ApiError } from "../api/client";
import type { ApiErrorBody } from "../api/client";

export const STATUSES = ["open", "in_progress", "waiting_for_customer", "resolved", "closed"] as const;
export type ReportStatus = (typeof STATUSES)[number];
/** Work not finished: the console queue's default. */
export const UNFINISHED: ReportStatus[] = ["open", "in_progress", "waiting_for_customer"];
/** What a staff reply may move a report to. */
export const STAFF_TARGETS = ["in_progress", "waiting_for_customer", "resolved"] as const;

export const STATUS_COLORS: Record<ReportStatus, string> = {
  open: "processing", in_progress: "blue", waiting_for_customer: "warning", resolved: "success",
  closed: "default",
};

export const MAX_PHOTOS = 6;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
export const PHOTO_ACCEPT = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp";

/** The machine as one line: name · model · number. */
export function machineLabel(r: { machine: string; model?: string | null; machine_number?: string | null }): string {
  return [r.machine, r.model, r.machine_number].filter(Boolean).join(" · ");
}

/** Why a chosen file cannot be a photo (an i18n key under service.photo), or null. */
export function photoProblem(file: { type: string; size: number }): "type" | "size" | "empty" | null {
  if (!PHOTO_TYPES.includes(file.type)) return "type";
  if (file.size === 0) return "empty";
  if (file.size > MAX_PHOTO_BYTES) return "size";
  return null;
}

/** How many more photos a report with `existing` photos takes. */
export function photosLeft(existing: number): number {
  return Math.max(MAX_PHOTOS - existing, 0);
}

/** Upload one photo to the customer's report (multipart); an ApiError when refused. */
export async function uploadPhoto(requestId: string, file: Blob, name: string): Promise<void> {
  const body = new FormData();
  body.append("files", file, name);
  let response: Response;
  try {
    response = await fetch(`/api/portal/service-requests/${requestId}/photos`, {
      method: "POST", body, credentials: "include",
    });
  } catch {
    throw new ApiError(0, { error: "NetworkError", detail: "The server cannot be reached" });
  }
  if (!response.ok) {
    let error: ApiErrorBody = {};
    try { error = (await response.json()) as ApiErrorBody; } catch { /* not JSON */ }
    if (response.status === 413) error = { error: "PayloadTooLarge", ...error };
    throw new ApiError(response.status, error);
  }
}
