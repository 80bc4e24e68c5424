/** Whether this browser can draw the charts (a canvas with a 2D context); when it cannot,
 *  a chart shows its table instead. */
let cached: boolean | undefined;

export function canDrawCharts(): boolean {
  if (cached === undefined) {
    try {
      cached = typeof document !== "undefined" && typeof navigator !== "undefined"
        && !/jsdom/i.test(navigator.userAgent)
        && Boolean(document.createElement("canvas").getContext?.("2d"));
    } catch {
      cached = false;
    }
  }
  return cached;
}
