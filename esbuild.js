// Bundles the three entry points: the VS Code client (vscode stays external,
// the editor provides it), the language server and the CLI.
// Usage: node esbuild.js [--production] [--watch]
const esbuild = require('esbuild');
const { version } = require('./package.json');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', define: { SMTP_SESSION_VERSION: JSON.stringify(version) } },
];

async function main() {
  if (watch) {
    const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
    await Promise.all(contexts.map((context) => context.watch()));
    console.log('esbuild: watching client, server and cli');
    return;
  }
  await Promise.all(builds.map((options) => esbuild.build(options)));
  console.log(`esbuild: built dist/client.js, dist/server.js, dist/cli.js${production ? ' (production)' : ''}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
