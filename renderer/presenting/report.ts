/** The usage report's chart, pure: per-page bars of average dwell, with drop-off alongside. */
import type { PageUsage } from '#shared/presenting';

export interface Bar {
  page: number;
  x: number;
  width: number;
  /** Dwell bar, from the baseline up. */
  y: number;
  height: number;
  /** Drop-off bar (0–1 of the chart height). */
  dropY: number;
  dropHeight: number;
  label: string;
}

export interface ChartLayout {
  width: number;
  height: number;
  baseline: number;
  maxDwellMs: number;
  bars: Bar[];
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** Bars for pages in page order, scaled to the longest average dwell. */
export function pageChart(
  pages: readonly PageUsage[],
  size: { width: number; height: number; padTop?: number; padBottom?: number },
): ChartLayout {
  const padTop = size.padTop ?? 16;
  const padBottom = size.padBottom ?? 28;
  const sorted = [...pages].sort((a, b) => a.page - b.page);
  const maxDwellMs = Math.max(1, ...sorted.map((p) => p.averageDwellMs));
  const plot = size.height - padTop - padBottom;
  const slot = sorted.length ? size.width / sorted.length : size.width;
  const barWidth = Math.max(4, Math.min(48, slot * 0.34));
  const baseline = padTop + plot;
  const bars = sorted.map((p, i) => {
    const height = (p.averageDwellMs / maxDwellMs) * plot;
    const dropHeight = Math.max(0, Math.min(1, p.dropOff)) * plot;
    const centre = slot * i + slot / 2;
    return {
      page: p.page,
      x: centre - barWidth - 1,
      width: barWidth,
      y: baseline - height,
      height,
      dropY: baseline - dropHeight,
      dropHeight,
      label: `Page ${p.page}: ${p.views} ${p.views === 1 ? 'view' : 'views'}, ${Math.round(p.averageDwellMs / 100) / 10} s on average, ${percent(p.dropOff)} drop-off`,
    };
  });
  return { width: size.width, height: size.height, baseline, maxDwellMs, bars };
}
