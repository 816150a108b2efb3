import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** DejaVu Sans from the dejavu-fonts-ttf package: embedded in every PNG and PDF, never a system font. */
export const fonts = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  italic: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf'),
  /** For commands and column names in the handouts. */
  mono: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf'),
};
