/**
 * The typed API client: openapi-fetch over the generated `paths` (schema.d.ts, from the
 * gateway's OpenAPI document; `make api-client` regenerates both). The browser sends the
 * HttpOnly session cookie set by POST /api/auth/login.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

export const api = createClient<paths>({
  baseUrl: typeof window === "undefined" ? "http://localhost" : window.location.origin,
  credentials: "include",
});

export interface ApiErrorBody {
  error?: string;
  detail?: string;
  errors?: { loc: (string | number)[]; msg: string; type?: string }[];
}

/** A refused request: the HTTP status and the API's {error, detail, errors}. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;

  constructor(status: number, body: ApiErrorBody) {
    super(body.detail ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

type Result<T> = { data?: T; error?: unknown; response: Response };

function toBody(error: unknown): ApiErrorBody {
  if (error && typeof error === "object") return error as ApiErrorBody;
  return { detail: typeof error === "string" ? error : undefined };
}

/** The data of a successful call; an ApiError otherwise (401 also tells the app that the
 * session ended, except with `secretChecked`: a call that checks a password typed into a
 * form answers 401 when that password is wrong, and the user stays logged in). */
export async function unwrap<T>(call: Promise<Result<T>>,
    { secretChecked = false }: { secretChecked?: boolean } = {}): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, { error: "NetworkError", detail: "The server cannot be reached" });
  }
  if (!result.response.ok) {
    const err = new ApiError(result.response.status, toBody(result.error));
    if (err.status === 401 && !secretChecked) window.dispatchEvent(new CustomEvent("dinghuo:unauthorized"));
    throw err;
  }
  return result.data as T;
}

/** A list and its X-Total-Count. */
export async function unwrapList<T>(call: Promise<Result<T[]>>): Promise<{ items: T[]; total: number }> {
  let response: Response | undefined;
  const items = await unwrap(call.then((r) => { response = r.response; return r; }));
  const total = Number(response?.headers.get("X-Total-Count") ?? items.length);
  return { items, total: Number.isFinite(total) ? total : items.length };
}
