import { useCallback, useEffect, useRef, useState } from "react";
import { api, unwrap } from "../api/client";
import type { Schemas } from "../api/client";

export type Prompt = Schemas["PromptOut"];
export type PromptMode = "connecting" | "live" | "polling";

const STREAM = "/api/console/prompts/stream";
const POLL_MS = 15000;
const MAX_STREAM_ERRORS = 3;

/** Staff prompts (N-3): the latest ones and the unread count, kept current by the
 * server-sent event stream through the gateway; when the stream keeps failing (or the
 * browser has no EventSource) a poll of GET /api/console/prompts takes over. `onNew` is
 * called once for each prompt that arrives after the start. */
export function usePrompts(onNew: (p: Prompt) => void) {
  const [prompts, setPrompts] = useState<Prompt[]>([]);
  const [unread, setUnread] = useState(0);
  const [mode, setMode] = useState<PromptMode>("connecting");
  const seen = useRef(new Set<string>());
  const notify = useRef(onNew);
  notify.current = onNew;

  const load = useCallback(async (announce: boolean) => {
    const { data, response } = await api.GET("/api/console/prompts", { params: { query: { limit: 20 } } });
    if (!response.ok || !data) return;
    const fresh = data.filter((p) => !seen.current.has(p.id));
    data.forEach((p) => seen.current.add(p.id));
    setPrompts(data);
    setUnread(Number(response.headers.get("X-Unread-Count") ?? 0));
    if (announce) [...fresh].reverse().forEach((p) => notify.current(p));
  }, []);

  const arrived = useCallback((p: Prompt) => {
    if (seen.current.has(p.id)) return;
    seen.current.add(p.id);
    setPrompts((prev) => [p, ...prev.filter((x) => x.id !== p.id)].slice(0, 50));
    if (!p.read_at) setUnread((n) => n + 1);
    notify.current(p);
  }, []);

  useEffect(() => {
    let poll: number | undefined;
    let source: EventSource | undefined;
    let errors = 0;
    let stopped = false;
    const startPolling = () => {
      if (stopped || poll !== undefined) return;
      setMode("polling");
      poll = window.setInterval(() => void load(true), POLL_MS);
    };
    void load(false).then(() => {
      if (stopped) return;
      if (typeof EventSource === "undefined") { startPolling(); return; }
      source = new EventSource(STREAM, { withCredentials: true });
      source.onopen = () => { errors = 0; setMode("live"); };
      source.addEventListener("prompt", (e) => {
        try { arrived(JSON.parse((e as MessageEvent<string>).data) as Prompt); } catch { /* ignore a bad event */ }
      });
      source.onerror = () => {
        errors += 1;
        if (errors >= MAX_STREAM_ERRORS || source?.readyState === EventSource.CLOSED) {
          source?.close();
          startPolling();
        } else {
          setMode("connecting");
        }
      };
    });
    return () => {
      stopped = true;
      source?.close();
      if (poll !== undefined) window.clearInterval(poll);
    };
  }, [load, arrived]);

  const markRead = useCallback(async (p: Prompt) => {
    if (p.read_at) return;
    const done = await unwrap(api.POST("/api/console/prompts/{prompt_id}/read", { params: { path: { prompt_id: p.id } } }));
    setPrompts((prev) => prev.map((x) => (x.id === p.id ? done : x)));
    setUnread((n) => Math.max(0, n - 1));
  }, []);

  const markAllRead = useCallback(async () => {
    await unwrap(api.POST("/api/console/prompts/read-all"));
    const now = new Date().toISOString();
    setPrompts((prev) => prev.map((x) => (x.read_at ? x : { ...x, read_at: now })));
    setUnread(0);
  }, []);

  return { prompts, unread, mode, markRead, markAllRead, reload: () => load(false) };
}
