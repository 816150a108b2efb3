import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);

/** DejaVu Sans from the dejavu-fonts-ttf package: embedded in every PNG and PDF, never a system font. */
export const fonts = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  italic: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf'),
  /** For commands and column names in the handouts. */
  mono: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf'),
};

type ParsedFont = ReturnType<typeof fontkit.create>;
let parsed: { regular: ParsedFont; bold: ParsedFont; italic: ParsedFont } | undefined;

/**
 * The three fonts parsed once per process: pdfkit takes fontkit fonts as they are, and parsing
 * DejaVu for every PDF (the big map, the report) cost 50 ms a font and document.
 */
export function parsedFonts() {
  parsed ??= {
    regular: fontkit.create(readFileSync(fonts.regular)),
    bold: fontkit.create(readFileSync(fonts.bold)),
    italic: fontkit.create(readFileSync(fonts.italic)),
  };
  return parsed;
}
