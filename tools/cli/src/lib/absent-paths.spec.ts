import { AbsentPaths, filterPaths } from './absent-paths';
import { parseFilter } from './filter-expression';

const stay = { type: 'stay-recorded', data: { nights: 3, channel: 'ota', tags: ['vip'] }, headers: {} };

describe('absent --where paths', () => {
  const absentAfter = (expression: string, subjects: Record<string, unknown>[]) => {
    const paths = new AbsentPaths(filterPaths(parseFilter(expression)));
    subjects.forEach((subject) => paths.see(subject));
    return paths.warnings();
  };

  it('should name a misspelt path that no event had, with the close names they had instead', () => {
    expect(absentAfter('data.nigths >= 3 && type == "stay-recorded"', [stay, stay])).toEqual([
      '--where reads data.nigths, which none of the 2 event(s) read has; did you mean: data.nights?',
    ]);
    expect(absentAfter('dat.nights >= 3', [stay])).toEqual([
      '--where reads dat.nights, which none of the 1 event(s) read has; did you mean: data.nights?',
    ]);
  });

  it('should say nothing of a path that some event had, however deep, or before any event was read', () => {
    const other = { type: 'points-earned', data: { points: 10 } };
    expect(absentAfter('data.nights >= 3 || data.tags[0] == "vip" || !data.points', [other, stay])).toEqual(
      [],
    );
    expect(absentAfter('data.nigths >= 3', [])).toEqual([]);
  });
});
