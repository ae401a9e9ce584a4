// Brand palette and per-format metrics. One place, so a brochure, a deck and a price sheet
// from the same company look like they came from the same company.
import { rgb, type RGB } from 'pdf-lib';
import type { DocumentFormat } from './spec';

export interface Palette {
  navy: RGB;
  brand: RGB;
  accent: RGB;
  text: RGB;
  muted: RGB;
  tint: RGB;
  zebra: RGB;
  highlight: RGB;
  rule: RGB;
  white: RGB;
}

export function hex(value: string): RGB {
  const n = Number.parseInt(value.slice(1), 16);
  return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

export function palette(accent?: string): Palette {
  return {
    navy: hex('#0b2545'),
    brand: hex('#0b6e99'),
    accent: hex(accent ?? '#13c4a3'),
    text: hex('#2b3640'),
    muted: hex('#66737f'),
    tint: hex('#e8f3f8'),
    zebra: hex('#f3f7f9'),
    highlight: hex('#dcf5ef'),
    rule: hex('#c9d6de'),
    white: rgb(1, 1, 1),
  };
}

export interface Metrics {
  width: number;
  height: number;
  margin: number;
  /** Body text size; every other size is a multiple of it so formats scale together. */
  base: number;
  headerHeight: number;
  footerHeight: number;
}

export function metrics(format: DocumentFormat): Metrics {
  switch (format) {
    case 'a4-portrait':
      return { width: 595.28, height: 841.89, margin: 48, base: 10.5, headerHeight: 44, footerHeight: 36 };
    case 'a4-landscape':
      return { width: 841.89, height: 595.28, margin: 44, base: 10, headerHeight: 40, footerHeight: 32 };
    case 'slide-16x9':
      return { width: 960, height: 540, margin: 56, base: 17, headerHeight: 0, footerHeight: 34 };
  }
}

// Hand-drawn marks, in SVG path syntax (y grows downwards, as pdf-lib's drawSvgPath expects).
export const DROP_PATH = 'M10 0 C13 6 20 12 20 18 C20 24 15.5 28 10 28 C4.5 28 0 24 0 18 C0 12 7 6 10 0 Z';

export function wavePath(width: number, depth: number): string {
  const w = width;
  return `M0 ${depth * 0.45} C${w * 0.22} ${depth * 0.05} ${w * 0.42} ${depth * 0.95} ${w * 0.66} ${depth * 0.5} C${w * 0.8} ${depth * 0.25} ${w * 0.92} ${depth * 0.3} ${w} ${depth * 0.4} L${w} ${depth} L0 ${depth} Z`;
}
