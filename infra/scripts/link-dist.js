// After `tsc` emits to dist/, make `require('@loyalty/<lib>')` resolve inside dist the way the
// tsconfig path aliases resolve in source: dist/node_modules/@loyalty/<lib> -> dist/libs/<lib>/src.
const fs = require('node:fs');
const path = require('node:path');

const dist = path.resolve(__dirname, '../../dist');
const scope = path.join(dist, 'node_modules', '@loyalty');
fs.mkdirSync(scope, { recursive: true });
for (const lib of fs.readdirSync(path.join(dist, 'libs'))) {
  const link = path.join(scope, lib);
  fs.rmSync(link, { force: true, recursive: true });
  fs.symlinkSync(path.join('..', '..', 'libs', lib, 'src'), link, 'dir');
}
