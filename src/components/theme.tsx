// Colour on or off (NO_COLOR, --no-color): components ask for a colour through useColors() and get none in
// monochrome, where bold, inverse and markers still carry the meaning.
import { createContext, useContext } from 'react';

export interface Palette {
  accent: string | undefined;
  ok: string | undefined;
  warn: string | undefined;
  error: string | undefined;
  dim: string | undefined;
  chart: string | undefined;
  chart2: string | undefined;
}

const COLORS: Palette = { accent: 'cyan', ok: 'green', warn: 'yellow', error: 'red', dim: 'gray', chart: 'green', chart2: 'cyan' };
const MONO: Palette = { accent: undefined, ok: undefined, warn: undefined, error: undefined, dim: undefined, chart: undefined, chart2: undefined };

export const ColorContext = createContext<boolean>(true);

export function useColors(): Palette {
  return useContext(ColorContext) ? COLORS : MONO;
}
