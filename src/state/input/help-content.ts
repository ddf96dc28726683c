// What the help overlay lists, generated from the keymap: the keys of the current screen, the ones that work
// everywhere, in a text field and in a confirmation. Nothing is written by hand, so it cannot drift from the keys.
import { bindingsFor, EDIT_KEYS, keyLabel, SCREEN_TITLES, type Scope, type Screen } from './keymap.js';

/** From this width the help shows two columns; below, one column that scrolls. */
export const TWO_COLUMNS = 140;

export interface Group {
  title: string;
  rows: { keys: string; help: string }[];
}

export function helpGroups(screen: Screen): Group[] {
  const rows = (scope: Scope) => bindingsFor(scope).map((b) => ({ keys: keyLabel(b), help: b.help }));
  // The screen keys read better as one line: "1-5  1 Produce · 2 Live · ...".
  const screens = bindingsFor('global').filter((b) => b.command.startsWith('screen-'));
  const global = [
    { keys: `${screens[0].keys[0]}-${screens[screens.length - 1].keys[0]}`, help: screens.map((b) => `${b.keys[0]} ${b.help.split(':')[0]}`).join(' ') },
    ...bindingsFor('global').filter((b) => !b.command.startsWith('screen-')).map((b) => ({ keys: keyLabel(b), help: b.help })),
  ];
  return [
    { title: `${SCREEN_TITLES[screen]} screen`, rows: rows(screen) },
    { title: 'Everywhere', rows: global },
    { title: 'In a text field', rows: [...rows('edit'), ...EDIT_KEYS.map((k) => ({ keys: k.show, help: k.help }))] },
    ...(screen === 'settings' ? [{ title: 'Exporting (x)', rows: [...rows('export'), ...rows('exported')] }] : []),
    { title: 'Questions, this help, an unreachable cluster', rows: [...rows('confirm'), ...rows('help'), ...rows('offline')] },
  ];
}

export type HelpLine = { kind: 'title'; text: string } | { kind: 'row'; keys: string; help: string } | { kind: 'blank' };

const linesOf = (groups: Group[]): HelpLine[] =>
  groups.flatMap((g): HelpLine[] => [{ kind: 'title', text: g.title }, ...g.rows.map((r): HelpLine => ({ kind: 'row', ...r })), { kind: 'blank' }]);


/** The help's lines as one column, or two (screen and global keys left, the rest right). */
export function helpColumns(screen: Screen, two: boolean): [HelpLine[], HelpLine[]] {
  const groups = helpGroups(screen);
  return two ? [linesOf(groups.slice(0, 2)), linesOf(groups.slice(2))] : [linesOf(groups), []];
}
