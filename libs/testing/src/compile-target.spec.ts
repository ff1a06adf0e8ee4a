import path from 'node:path';
import ts from 'typescript';

// Object spread followed by more properties takes a slow path in Node 20's V8 (25-30x), so both the
// production build and the code jest runs must compile it to Object.assign (see tsconfig.base.json).
describe('how TypeScript is compiled', () => {
  const root = path.resolve(__dirname, '../../..');

  it('should run code under jest with object spread compiled away, as the production build does', () => {
    const withId = (base: object) => ({ ...base, id: 1 });
    // Neither native spread nor SWC's strict helper (`_object_spread`, as slow): the loose Object.assign one.
    expect(withId.toString()).not.toMatch(/\.\.\.|_object_spread/);
    expect(withId({ name: 'a' })).toEqual({ name: 'a', id: 1 });
  });

  it('should have the production build emit Object.assign for object spread', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(root, 'tsconfig.build.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    const emitted = ts.transpileModule('export const withId = (base: object) => ({ ...base, id: 1 });', {
      compilerOptions: config?.options,
    }).outputText;
    expect(emitted).toContain('Object.assign');
    expect(emitted).not.toContain('...base');
  });
});
