export const pageSizes = { A4: [210, 297], A3: [297, 420], A2: [420, 594], A1: [594, 841], A0: [841, 1189] } as const;
export type PageSize = keyof typeof pageSizes;
export type Orientation = 'portrait' | 'landscape';

export interface Page {
  size: PageSize;
  orientation: Orientation;
  /** Width and height in millimetres. */
  width: number;
  height: number;
  /** How much text and lines grow against A4: √(short side / 210), so A0 has twice the A4 sizes. */
  scale: number;
}

export function page(size: PageSize, orientation: Orientation): Page {
  const [short, long] = pageSizes[size];
  const [width, height] = orientation === 'landscape' ? [long, short] : [short, long];
  return { size, orientation, width, height, scale: Math.sqrt(short / 210) };
}

/** Millimetres from points (1 pt = 1/72 inch). */
export const pt = (points: number) => (points * 25.4) / 72;

/** A number for SVG: two decimals (0.01 mm), no trailing zeros. */
export function mm(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Text for SVG and XML attributes. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Rough text width in mm for layout (DejaVu Sans averages about 0.55 em per character, its bold about 12% more). */
export function textWidth(text: string, fontSize: number, bold = false): number {
  return text.length * fontSize * 0.56 * (bold ? 1.12 : 1);
}
