// `npm run demo`: checks every example with the built CLI. The clean examples
// must have no problems; broken.smtp must show its documented ones. Exits 0
// when both hold, so a newcomer sees success when everything works.
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const examples = readdirSync(join(root, 'examples')).filter((name) => name.endsWith('.smtp')).sort();
const clean = examples.filter((name) => name !== 'broken.smtp').map((name) => join('examples', name));

function check(label, files, expectedStatus) {
  console.log(`\n$ smtp-session check ${label}`);
  const result = spawnSync(process.execPath, [cli, 'check', ...files], { cwd: root, stdio: 'inherit' });
  if (result.status !== expectedStatus) {
    console.error(`\nExpected exit status ${expectedStatus}, got ${result.status}.`);
    process.exit(1);
  }
}

check(`examples/ (${clean.length} sessions that should be clean)`, clean, 0);
check('examples/broken.smtp (problems on purpose)', [join('examples', 'broken.smtp')], 1);
console.log('\nDemo finished: the clean examples have no problems, and broken.smtp shows its documented ones.');
