import { App } from "antd";
import type { FormInstance } from "antd";
import type { Rule } from "antd/es/form";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { describeError, formFieldErrors } from "../api/errors";
import type { Check } from "../lib/validators";

/** `explain(err)`: the API's error in the user's language; `report(err, form?)` also shows
 * it in a message and marks the form's fields the API named. */
export function useApiError() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const explain = useCallback((err: unknown) => describeError(err, t, i18n.language),
    [t, i18n.language]);
  const report = useCallback((err: unknown, form?: FormInstance) => {
    if (form) {
      const fields = formFieldErrors(err, t, i18n.language);
      if (fields.length) form.setFields(fields);
    }
    void message.error(explain(err));
  }, [explain, message, t, i18n.language]);
  return { explain, report };
}

/** An Ant Design rule from one of lib/validators' checks. */
export function useRule() {
  const { t } = useTranslation();
  return useCallback((check: Check, params?: Record<string, unknown>): Rule => ({
    validator: (_rule, value) => {
      const key = check(value);
      return key ? Promise.reject(new Error(t(key, params))) : Promise.resolve();
    },
  }), [t]);
}

export interface Loaded<T> {
  data: T | undefined;
  loading: boolean;
  error: unknown;
  reload: () => void;
}

/** Load something when `deps` change; `reload()` loads again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    let live = true;
    setLoading(true);
    loader.current().then(
      (d) => { if (live) { setData(d); setError(undefined); } },
      (e: unknown) => { if (live) setError(e); },
    ).finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, loading, error, reload };
}

/** A list page's filters kept in the address (shareable, survive a reload): `params` to
 * read them; `update({key: value})` sets or (with an empty value) removes some, and any
 * change but the page itself goes back to page 1. */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const update = useCallback((changes: Record<string, string | undefined>) => {
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [k, v] of Object.entries(changes)) {
        if (v) next.set(k, v); else next.delete(k);
      }
      if (!("page" in changes)) next.delete("page");
      return next;
    }, { replace: true });
  }, [setParams]);
  return { params, update };
}
