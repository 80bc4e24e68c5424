import { App as AntApp, ConfigProvider, theme } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

const REDUCED_MOTION = "(prefers-reduced-motion: reduce)";

function reducedMotionQuery(): MediaQueryList | null {
  return typeof window !== "undefined" && typeof window.matchMedia === "function"
    ? window.matchMedia(REDUCED_MOTION) : null;
}

/** Whether the user asked the system for less motion (an accessibility setting; the
 * browser tests ask for it too, so that no click lands on a dialog still zooming in). */
function useReducedMotion(): boolean {
  const [reduced, setReduced] = useState(() => reducedMotionQuery()?.matches ?? false);
  useEffect(() => {
    const query = reducedMotionQuery();
    if (!query?.addEventListener) return undefined;
    const changed = (e: MediaQueryListEvent) => setReduced(e.matches);
    query.addEventListener("change", changed);
    return () => query.removeEventListener("change", changed);
  }, []);
  return reduced;
}

export function Providers({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const english = i18n.language === "en-US";
  const reducedMotion = useReducedMotion();
  dayjs.locale(english ? "en" : "zh-cn");
  return (
    <ConfigProvider
      locale={english ? enUS : zhCN}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          // Ant Design's animations (dialogs zooming, menus sliding) off when the user
          // prefers reduced motion.
          motion: !reducedMotion,
          colorPrimary: "#1677ff",
          borderRadius: 6,
          fontFamily:
            '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", ' +
            '"Microsoft YaHei", "Noto Sans CJK SC", "Segoe UI", Roboto, sans-serif',
        },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
