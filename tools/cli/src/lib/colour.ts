const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  grey: [90, 39],
} as const;

export type ColourName = keyof typeof CODES;
export type Paint = Record<ColourName, (text: string) => string>;

/** ANSI colours when `enabled`, else plain text; see `shouldColour` for when that is. */
export function palette(enabled: boolean): Paint {
  const entries = Object.entries(CODES).map(([name, [open, close]]) => [
    name,
    enabled ? (text: string) => `\u001b[${open}m${text}\u001b[${close}m` : (text: string) => text,
  ]);
  return Object.fromEntries(entries) as Paint;
}

/** Colour only on a terminal, never when NO_COLOR is set (https://no-color.org) or --no-color given. */
export function shouldColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag = true): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
